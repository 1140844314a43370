// A GraphQL request that failed because the database cannot be reached answers HTTP 503 with Retry-After
// (code DATABASE_UNAVAILABLE, set by formatGraphqlError), not 200 with INTERNAL: the client did nothing
// wrong and should try again. The status is applied by installRateLimitStatus's Fastify hook.
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '@pharmatrace/database/database-unavailable';
import { GRAPHQL_STATUS_HEADER } from '../../rate-limit/rate-limit.guard';

type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

export const databaseUnavailableStatusPlugin: ApolloPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ errors, response }) {
        if (!errors?.some((e) => isDatabaseUnavailable(e.originalError))) return;
        response.http.headers.set('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
        response.http.headers.set(GRAPHQL_STATUS_HEADER, '503');
      },
    };
  },
};
