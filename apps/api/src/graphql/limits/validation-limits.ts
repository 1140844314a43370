// Aliases and depth, refused while validating (before any resolver runs) with GraphQL Armor's rules; the
// refusal carries QUERY_TOO_COSTLY like the cost budget. Token count is bounded by graphql-js's own
// parser (`parseOptions.maxTokens`).
import { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { RequestLimits } from '@pharmatrace/config';

/** Runs `rule` with its errors re-coded and re-worded for a person. */
function refusedAs(rule: ValidationRule, code: string, advice: string): ValidationRule {
  return (context: ValidationContext) => {
    const coded = Object.create(context) as ValidationContext;
    coded.reportError = (error: GraphQLError) =>
      context.reportError(
        new GraphQLError(`${error.message.replace(/^Syntax Error: /, '')} ${advice}`, { nodes: error.nodes, extensions: { code, http: { status: 400 } } }),
      );
    return rule(coded);
  };
}

/** Armor's rules throw unless told to report through the validation context instead. */
const report = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export function validationLimits(limits: RequestLimits): ValidationRule[] {
  return [
    refusedAs(maxAliasesRule({ n: limits.maxAliases, ...report }), 'QUERY_TOO_COSTLY', 'Send fewer aliased fields in one request.'),
    refusedAs(maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...report }), 'QUERY_TOO_COSTLY', 'Select less deeply nested data.'),
  ];
}
