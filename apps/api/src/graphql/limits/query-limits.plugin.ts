// Refuses an operation that would cost more than the budget before any resolver runs (QUERY_TOO_COSTLY),
// and a query still running after the time limit (QUERY_TIMEOUT).
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLError } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { RequestLimits } from '@pharmatrace/config';
import { pagedCostEstimator } from './query-cost';

export function tooCostly(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COSTLY', http: { status: 400 } } });
}

type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

export function queryLimitsPlugin(limits: RequestLimits): ApolloPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          const cost = getComplexity({
            schema,
            query: document,
            variables: request.variables ?? {},
            operationName: operationName ?? undefined,
            estimators: [pagedCostEstimator],
          });
          if (cost > limits.queryCostBudget) {
            throw tooCostly(
              `This operation would cost ${cost} points; the budget is ${limits.queryCostBudget} points a request (each object returned costs 1, times the page sizes above it). Ask for smaller pages (first), fewer fields or fewer aliases, and page through the rest.`,
            );
          }
        },
      };
    },
  };
}
