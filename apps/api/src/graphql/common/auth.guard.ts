import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { authenticateBearer } from '../../http/bearer-session';
import { AuthService, Caller } from '@pharmatrace/auth';
import { DomainError } from '@pharmatrace/errors';
import type { ParticipantRole } from '@pharmatrace/ledger';

const ROLES = 'pharmatrace:roles';
export const IS_PUBLIC = 'pharmatrace:public';

/** Restricts a resolver to signed-in participants of these roles. */
export const Roles = (...roles: ParticipantRole[]) => SetMetadata(ROLES, roles);
/** Marks a resolver that needs no sign-in (the sign-in itself). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface RequestWithCaller {
  headers: Record<string, string | string[] | undefined>;
  caller?: Caller;
  token?: string;
}

/**
 * Applied to every resolver: no resolver is reachable without a valid session unless marked @Public,
 * and @Roles narrows it further. The session is re-checked on every request, so suspension and key
 * revocation take effect immediately.
 */
@Injectable()
export class GqlAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = GqlExecutionContext.create(context).getContext<{ req: RequestWithCaller }>().req;
    const { caller, token } = await authenticateBearer(this.auth, req.headers.authorization);
    const roles = this.reflector.getAllAndOverride<ParticipantRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(caller.role)) {
      throw new DomainError('FORBIDDEN_ROLE', `This operation is for ${roles.join(', ')}; you are signed in as a ${caller.role}.`);
    }
    req.caller = caller;
    req.token = token;
    return true;
  }
}
