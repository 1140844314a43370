import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { AuthModule } from '@pharmatrace/auth';
import { LedgerModule } from '@pharmatrace/ledger';
import { ParticipantsModule } from '@pharmatrace/participants';
import { ColdChainModule } from '@pharmatrace/cold-chain';
import { Runtime, RuntimeModule } from '@pharmatrace/runtime';
import { GqlAuthGuard } from './graphql/common/auth.guard';
import { depthLimit } from './graphql/common/depth-limit.rule';
import { formatGraphqlError } from './graphql/common/format-error';
import { AuthResolver } from './graphql/auth/auth.resolver';
import { LedgerResolver } from './graphql/ledger/ledger.resolver';
import { ParticipantsResolver } from './graphql/participants/participants.resolver';
import { RegulatorResolver } from './graphql/regulator/regulator.resolver';
import { BlocksResolver } from './graphql/blocks/blocks.resolver';
import { ColdChainResolver } from './graphql/cold-chain/cold-chain.resolver';
import { CustodyResolver } from './graphql/custody/custody.resolver';
import { ManufacturerResolver } from './graphql/manufacturer/manufacturer.resolver';
import { SupplierResolver } from './graphql/supplier/supplier.resolver';
import { CatalogModule } from '@pharmatrace/catalog';
import { CustodyModule } from '@pharmatrace/custody';
import { LedgerKeyController } from './well-known/ledger-key.controller';
import { HealthController } from './health/health.controller';

export const GRAPHQL_RESOLVERS = [AuthResolver, LedgerResolver, ParticipantsResolver, RegulatorResolver, BlocksResolver, ManufacturerResolver, SupplierResolver, CustodyResolver, ColdChainResolver];
export const MAX_QUERY_DEPTH = 8;

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
          validationRules: [depthLimit(MAX_QUERY_DEPTH)],
          formatError: formatGraphqlError,
        }),
        LedgerModule,
        ParticipantsModule,
        CatalogModule,
        CustodyModule,
        ColdChainModule,
        AuthModule,
      ],
      controllers: [HealthController, LedgerKeyController],
      providers: [...GRAPHQL_RESOLVERS, { provide: APP_GUARD, useClass: GqlAuthGuard }],
    };
  }
}
