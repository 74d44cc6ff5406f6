import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './errors.js';

const MAX_ID = 2_147_483_647;

/**
 * Parses a numeric path id; anything else is a 400 that names the parameter. The global
 * ValidationPipe runs first and has already turned the text of a `number` parameter into a
 * number (NaN for "abc"), so both forms are accepted here.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<string | number, number> {
  transform(value: string | number, metadata: { data?: string }): number {
    const id = typeof value === 'number' ? value : /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (Number.isInteger(id) && id > 0 && id <= MAX_ID) return id;
    const shown = typeof value === 'number' && Number.isNaN(value) ? '' : `, not "${value}"`;
    throw new DomainError(
      'invalid',
      'invalid_id',
      `The path parameter ${metadata.data ?? 'id'} must be a positive whole number${shown}.`,
    );
  }
}
