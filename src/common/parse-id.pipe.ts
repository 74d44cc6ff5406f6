import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from './errors.js';

/** The largest PostgreSQL integer (int4): most ids. */
export const MAX_ID = 2_147_483_647;
/** The largest bigint id JavaScript holds exactly (message, delivery and run ids are bigint). */
export const MAX_BIG_ID = Number.MAX_SAFE_INTEGER;

/**
 * The id written in `text`, or null. Only canonical decimal digits count: no sign, spaces,
 * leading zeros, fraction, exponent or hex, so `0x10`, ` 1`, `1e1` and `+1` never name an id,
 * and nothing beyond `max` reaches the database.
 */
export function parseId(text: string, max = MAX_ID): number | null {
  if (!/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return id <= max ? id : null;
}

/**
 * Parses a numeric path id from the text as sent (the validation pipe leaves path parameters
 * as text for this). Anything that cannot be an id is a 400 that names the parameter; a
 * well-formed id that matches nothing is the route's 404.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<string | number, number> {
  protected readonly max: number = MAX_ID;

  transform(value: string | number, metadata: { data?: string }): number {
    const id =
      typeof value === 'number'
        ? Number.isSafeInteger(value) && value > 0 && value <= this.max
          ? value
          : null
        : parseId(value, this.max);
    if (id !== null) return id;
    throw new DomainError(
      'invalid',
      'invalid_id',
      `The path parameter ${metadata.data ?? 'id'} must be a positive whole number up to ${this.max}, in plain digits (no sign, spaces, leading zeros, exponent or hex), not "${String(value).slice(0, 40)}".`,
    );
  }
}

/** ParseIdPipe for bigint ids (messages, webhook deliveries, rule runs). */
@Injectable()
export class ParseBigIdPipe extends ParseIdPipe {
  protected override readonly max: number = MAX_BIG_ID;
}
