// How the API reads request bodies. JSON only, parsed strictly: an object that repeats a member name is
// refused (RFC 8259 §4 leaves its meaning to each parser, so a proxy in front could read the other
// value), and so is a `__proto__` member. Every other body is the client's mistake, answered with a
// stable code and a sentence in the GraphQL error shape — never INTERNAL, never an ERROR log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParseErrorCode, visit } from 'jsonc-parser';

/** A body the parser refused; the preHandler hook answers it before any route runs. */
class RefusedBody {
  constructor(
    readonly status: number,
    readonly code: 'BAD_REQUEST' | 'UNSUPPORTED_MEDIA_TYPE',
    readonly message: string,
  ) {}
}

/** The first member name repeated within one object, with its JSON path, or null. */
export function findDuplicateMember(text: string): string | null {
  const stack: Array<{ names: Set<string>; path: string }> = [];
  let duplicate: string | null = null;
  const errors: ParseErrorCode[] = [];
  visit(
    text,
    {
      onObjectBegin: (_o, _l, _sl, _sc, pathSupplier) => {
        stack.push({ names: new Set(), path: pathSupplier().join('.') });
        return duplicate === null;
      },
      onObjectProperty: (name) => {
        const top = stack[stack.length - 1];
        if (duplicate === null && top.names.has(name)) duplicate = top.path ? `${top.path}.${name}` : name;
        top.names.add(name);
      },
      onObjectEnd: () => {
        stack.pop();
      },
      onError: (error) => {
        errors.push(error);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  if (errors.length > 0) return null; // not JSON: JSON.parse reports it
  return duplicate;
}

export function parseStrictJson(text: string): unknown | RefusedBody {
  if (text.trim() === '') return new RefusedBody(400, 'BAD_REQUEST', 'The request body is empty; send a JSON object such as {"query": "{ latestBlock { height } }"}.');
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => {
      if (key === '__proto__') throw new SyntaxError('a member named "__proto__" is not accepted');
      return v;
    });
  } catch (e) {
    return new RefusedBody(400, 'BAD_REQUEST', `The request body is not valid JSON (${e instanceof Error ? e.message : String(e)}); send a JSON object such as {"query": "…"}.`);
  }
  const duplicate = findDuplicateMember(text);
  if (duplicate) {
    return new RefusedBody(400, 'BAD_REQUEST', `The request body repeats the member "${duplicate}" in one object; JSON parsers disagree on which value counts, so send each member once.`);
  }
  return value;
}

/** Installs the JSON-only body parsing and the answer for refused bodies on the Fastify instance. */
export function installRequestBodyHandling(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(['application/json', 'application/graphql-response+json'], { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    done(null, parseStrictJson(body as string));
  });
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (req, _body, done) => {
    const type = req.headers['content-type'];
    done(
      null,
      new RefusedBody(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        type
          ? `Request bodies of type ${type.split(';')[0]} are not accepted; send JSON with "Content-Type: application/json".`
          : 'The request has a body but no Content-Type; send JSON with "Content-Type: application/json".',
      ),
    );
  });
  fastify.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.body instanceof RefusedBody) {
      const { status, code, message } = req.body;
      await reply.code(status).header('content-type', 'application/json; charset=utf-8').send({ errors: [{ message, extensions: { code } }] });
    }
  });
}
