import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { LIMITS } from './fields.js';

/**
 * SQL for the text[] `column` with every element equal to $2 (ignoring case) replaced by $3,
 * without duplicates: how a label rename rewrites the label sets of conversations and contacts.
 * `sorted` keeps a set stored in code-point order (JavaScript's sort) so; otherwise the
 * original order stays. $2 must be lower case.
 */
export function renamedLabelsSql(column: string, order: 'sorted' | 'kept'): string {
  const by = order === 'sorted' ? 'v COLLATE "C"' : 'pos';
  return `(SELECT coalesce(array_agg(v ORDER BY ${by}), '{}') FROM (
            SELECT DISTINCT ON (v) v, pos FROM (
              SELECT CASE WHEN lower(e) = $2 THEN $3 ELSE e END AS v, pos
                FROM unnest(${column}) WITH ORDINALITY AS u(e, pos)) r
             ORDER BY v, pos) d)`;
}

/** SQL: true when the text[] `column` has an element equal to $2 ignoring case. */
export function hasLabelSql(column: string): string {
  return `EXISTS (SELECT 1 FROM unnest(${column}) l WHERE lower(l) = $2)`;
}

/** A replacement label set, as conversations and contacts take it (`{ labels: [...] }`). */
export class LabelsRequest {
  @ApiProperty({ type: [String], example: ['billing', 'vip'], description: 'Replaces the set' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(LIMITS.name, { each: true })
  labels: string[];
}
