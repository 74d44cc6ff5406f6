import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './errors.js';

/** Parses a numeric path id; anything else is a 400 that names the parameter. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: { data?: string }): number {
    const id = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (id > 0 && id <= 2_147_483_647) return id;
    throw new DomainError(
      'invalid',
      'invalid_id',
      `The path parameter ${metadata.data ?? 'id'} must be a positive whole number, not "${value}".`,
    );
  }
}
