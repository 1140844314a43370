import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Observable, throwError, TimeoutError } from 'rxjs';
import { catchError, timeout } from 'rxjs/operators';
import { APP_CONFIG, AppConfig } from '@pharmatrace/config';
import { DomainError } from '@pharmatrace/errors';

/**
 * A query resolver still running after QUERY_TIMEOUT_MS is answered QUERY_TIMEOUT. Mutations are left to
 * finish: each is one transaction, and answering "failed" while it may still commit would mislead.
 */
@Injectable()
export class QueryTimeoutInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'graphql') return next.handle();
    const operation = GqlExecutionContext.create(context).getInfo<{ operation: { operation: string } }>().operation.operation;
    if (operation !== 'query') return next.handle();
    const ms = this.config.limits.queryTimeoutMs;
    return next.handle().pipe(
      timeout(ms),
      catchError((e: unknown) =>
        throwError(() => (e instanceof TimeoutError ? new DomainError('QUERY_TIMEOUT', `The query took longer than ${ms} ms and was stopped; ask for a smaller page (first) and page through the rest.`) : e)),
      ),
    );
  }
}
