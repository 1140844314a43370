// Apollo Server's landing-page hook, answered with the local explorer (explorer-page.ts). With
// `graphiql: false` in GraphQLModule.forRoot, @nestjs/apollo installs Apollo's "landing page disabled"
// marker, so this is the only landing page: no CDN page from Apollo, Nest or GraphiQL.
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { newNonce } from '../digital-link/security-headers';
import { explorerHtml } from './explorer-page';

/** Apollo's plugin type as @nestjs/apollo sees it (its CommonJS declarations). */
type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/** GET /graphql with `Accept: text/html` → the explorer, rendered per request with a fresh nonce. */
export const localExplorerPlugin: ApolloPlugin = {
  async serverWillStart() {
    return {
      async renderLandingPage() {
        return { html: async () => explorerHtml(newNonce()) };
      },
    };
  },
};
