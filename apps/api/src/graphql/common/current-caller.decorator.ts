import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Caller } from '@pharmatrace/auth';
import { RequestWithCaller } from './auth.guard';

/** The signed-in participant (set by GqlAuthGuard). */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const req = GqlExecutionContext.create(context).getContext<{ req: RequestWithCaller }>().req;
  if (!req.caller) throw new Error('CurrentCaller used on a public resolver');
  return req.caller;
});

export const CurrentToken = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const req = GqlExecutionContext.create(context).getContext<{ req: RequestWithCaller }>().req;
  return req.token ?? '';
});
