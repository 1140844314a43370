import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { findUnstorableText } from '@pharmatrace/ledger-core';
import { DomainError } from '@pharmatrace/errors';

/**
 * Applied to every GraphQL argument: text PostgreSQL cannot store unchanged (U+0000, unpaired
 * surrogates) is refused here, as INVALID_CHARACTER, before any resolver or query sees it.
 */
@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const found = findUnstorableText(value, metadata.data ?? 'argument');
    if (found) throw new DomainError('INVALID_CHARACTER', `The argument ${found}; remove it and send the request again.`);
    return value;
  }
}
