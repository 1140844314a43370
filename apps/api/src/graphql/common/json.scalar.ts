import { GraphQLScalarType, Kind, ValueNode } from 'graphql';

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function fromLiteral(node: ValueNode): JsonValue {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
      return Number.parseInt(node.value, 10);
    case Kind.FLOAT:
      return Number.parseFloat(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(fromLiteral);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, fromLiteral(f.value)]));
    default:
      throw new TypeError('Variables inside JSON literals are not supported; pass the whole value as a variable.');
  }
}

/** Arbitrary JSON, used for signed event envelopes whose exact bytes matter to their hash. */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (node) => fromLiteral(node),
});
