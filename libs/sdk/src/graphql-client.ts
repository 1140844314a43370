/** An error the API refused with: `code` is the stable error code from `extensions.code`. */
export class PharmaTraceApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'PharmaTraceApiError';
  }
}

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; details?: Record<string, unknown> } }>;
}

/** Minimal GraphQL-over-HTTP client on fetch (Node 20 and browsers). */
export class GraphqlClient {
  token: string | null = null;

  constructor(readonly url: string) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    let body: GraphqlResponse<T>;
    try {
      body = (await res.json()) as GraphqlResponse<T>;
    } catch {
      throw new PharmaTraceApiError('HTTP_ERROR', `The server answered HTTP ${res.status} without JSON.`);
    }
    const first = body.errors?.[0];
    if (first) throw new PharmaTraceApiError(first.extensions?.code ?? 'INTERNAL', first.message, first.extensions?.details);
    if (body.data === undefined || body.data === null) throw new PharmaTraceApiError('HTTP_ERROR', `The server answered HTTP ${res.status} with no data.`);
    return body.data;
  }
}
