import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { AuthModule } from '@pharmatrace/auth';
import { LedgerModule } from '@pharmatrace/ledger';
import { ParticipantsModule } from '@pharmatrace/participants';
import { ColdChainModule } from '@pharmatrace/cold-chain';
import { Runtime, RuntimeModule } from '@pharmatrace/runtime';
import { GqlAuthGuard } from './graphql/common/auth.guard';
import { queryLimitsPlugin } from './graphql/limits/query-limits.plugin';
import { validationLimits } from './graphql/limits/validation-limits';
import { QueryTimeoutInterceptor } from './graphql/limits/query-timeout.interceptor';
import { RateLimitGuard, rateLimitStatusPlugin, rateLimitStorageProvider } from './rate-limit/rate-limit.guard';
import { formatGraphqlError } from './graphql/common/format-error';
import { databaseUnavailableStatusPlugin } from './graphql/common/database-unavailable.plugin';
import { StorableTextPipe } from './graphql/common/storable-text.pipe';
import { AuthResolver } from './graphql/auth/auth.resolver';
import { LedgerResolver } from './graphql/ledger/ledger.resolver';
import { ParticipantsResolver } from './graphql/participants/participants.resolver';
import { RegulatorResolver } from './graphql/regulator/regulator.resolver';
import { BlocksResolver } from './graphql/blocks/blocks.resolver';
import { ColdChainResolver } from './graphql/cold-chain/cold-chain.resolver';
import { CustodyResolver } from './graphql/custody/custody.resolver';
import { ManufacturerResolver } from './graphql/manufacturer/manufacturer.resolver';
import { SupplierResolver } from './graphql/supplier/supplier.resolver';
import { PrescriberResolver } from './graphql/prescriber/prescriber.resolver';
import { PharmacyResolver } from './graphql/pharmacy/pharmacy.resolver';
import { NotificationsResolver } from './graphql/notifications/notifications.resolver';
import { NotificationsModule } from '@pharmatrace/notifications';
import { RecallsResolver } from './graphql/recalls/recalls.resolver';
import { RecallsModule } from '@pharmatrace/recalls';
import { TracingResolver } from './graphql/tracing/tracing.resolver';
import { TracingModule } from '@pharmatrace/tracing';
import { CatalogModule } from '@pharmatrace/catalog';
import { CustodyModule } from '@pharmatrace/custody';
import { AccessModule } from '@pharmatrace/access';
import { PrescriptionsModule } from '@pharmatrace/prescriptions';
import { DispensingModule } from '@pharmatrace/dispensing';
import { VerificationModule } from '@pharmatrace/verification';
import { LedgerKeyController } from './well-known/ledger-key.controller';
import { HealthController } from './health/health.controller';
import { AlertsResolver } from './graphql/alerts/alerts.resolver';
import { DigitalLinkController } from './digital-link/digital-link.controller';
import { ScanAlertsModule } from '@pharmatrace/scan-alerts';
import { LabelsController } from './labels/labels.controller';
import { LabelsResolver } from './graphql/labels/labels.resolver';
import { LabelsModule } from '@pharmatrace/labels';
import { VrsController } from './dscsa-vrs/vrs.controller';
import { DscsaVrsModule } from '@pharmatrace/dscsa-vrs';
import { VrsResolver } from './graphql/dscsa-vrs/vrs.resolver';
import { EpcisController } from './epcis/epcis.controller';
import { FrontPageController } from './front-page/front-page.controller';
import { localExplorerPlugin } from './graphql-explorer/explorer.plugin';

export const GRAPHQL_RESOLVERS = [AuthResolver, LedgerResolver, ParticipantsResolver, RegulatorResolver, BlocksResolver, ManufacturerResolver, SupplierResolver, CustodyResolver, ColdChainResolver, PharmacyResolver, PrescriberResolver, TracingResolver, RecallsResolver, NotificationsResolver, LabelsResolver, VrsResolver, AlertsResolver];

@Module({})
export class ApiModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        RuntimeModule.forRuntime(runtime),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          introspection: true,
          validationRules: validationLimits(runtime.config.limits),
          parseOptions: { maxTokens: runtime.config.limits.maxTokens },
          // No CDN-loaded landing page (Nest's GraphiQL from unpkg, Apollo's Sandbox): browsers get the
          // local, self-contained explorer instead (apps/api/src/graphql-explorer).
          graphiql: false,
          plugins: [queryLimitsPlugin(runtime.config.limits), rateLimitStatusPlugin, databaseUnavailableStatusPlugin, localExplorerPlugin],
          // One operation per request: a batched array would multiply every budget above.
          allowBatchedHttpRequests: false,
          formatError: formatGraphqlError,
        }),
        LedgerModule,
        ParticipantsModule,
        CatalogModule,
        CustodyModule,
        ColdChainModule,
        PrescriptionsModule,
        DispensingModule,
        AccessModule,
        VerificationModule,
        ScanAlertsModule,
        RecallsModule,
        NotificationsModule,
        TracingModule,
        AuthModule,
        LabelsModule,
        DscsaVrsModule,
      ],
      controllers: [FrontPageController, HealthController, LedgerKeyController, LabelsController, VrsController, DigitalLinkController, EpcisController],
      providers: [
        ...GRAPHQL_RESOLVERS,
        rateLimitStorageProvider,
        // In this order: the sign-in check names the caller, then the rate limit counts by it.
        { provide: APP_GUARD, useClass: GqlAuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_INTERCEPTOR, useClass: QueryTimeoutInterceptor },
        { provide: APP_PIPE, useClass: StorableTextPipe },
      ],
    };
  }
}
