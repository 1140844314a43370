import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { MAX_VRS_REQUESTS_PAGE, VrsRequestLog, VrsTokenService } from '@pharmatrace/dscsa-vrs';
import { Roles } from '../common/auth.guard';
import { CurrentCaller } from '../common/current-caller.decorator';
import { IssuedVrsTokenModel, VrsRequestModel, VrsTokenModel } from './vrs.types';

/**
 * The DSCSA verification responder's GraphQL side (docs/dscsa-vrs.md): trading partners manage their VRS
 * tokens; manufacturers read who verified their products, regulators everything, others their own
 * requests (AccessPolicy.vrsRequestScope).
 */
@Resolver()
export class VrsResolver {
  constructor(
    private readonly tokens: VrsTokenService,
    private readonly log: VrsRequestLog,
  ) {}

  @Roles('manufacturer', 'wholesaler', 'pharmacy')
  @Mutation(() => IssuedVrsTokenModel, {
    description: 'Issues a VRS token for yourself (at most 20 active): the token is in this answer only. Errors: VRS_TOKEN_LABEL_INVALID, VRS_TOKEN_LIMIT.',
  })
  issueVrsToken(@Args('label') label: string, @CurrentCaller() caller: Caller): Promise<IssuedVrsTokenModel> {
    return this.tokens.issue(caller.participantId, caller.role, label);
  }

  @Roles('manufacturer', 'wholesaler', 'pharmacy')
  @Mutation(() => VrsTokenModel, { description: 'Revokes one of your VRS tokens at once (idempotent). UNKNOWN_VRS_TOKEN for an id that is not yours.' })
  revokeVrsToken(@Args('id') id: string, @CurrentCaller() caller: Caller): Promise<VrsTokenModel> {
    return this.tokens.revoke(caller.participantId, id);
  }

  @Roles('manufacturer', 'wholesaler', 'pharmacy')
  @Query(() => [VrsTokenModel], { description: 'Your VRS tokens, newest first: the active ones and the 100 latest revoked (never the token itself).' })
  myVrsTokens(@CurrentCaller() caller: Caller): Promise<VrsTokenModel[]> {
    return this.tokens.list(caller.participantId);
  }

  @Query(() => [VrsRequestModel], {
    description: `DSCSA verification requests you may read, newest first: a regulator all; a manufacturer those about its products (with who asked) and those it sent; anyone else those it sent. \`first\` 1–${MAX_VRS_REQUESTS_PAGE}, \`after\` the id of the previous page's last entry.`,
  })
  vrsRequests(
    @CurrentCaller() caller: Caller,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<VrsRequestModel[]> {
    return this.log.list(caller, { first, after });
  }
}
