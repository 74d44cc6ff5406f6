import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
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

/**
 * A list of labels in a query string, in any spelling Chatwoot's clients use: `labels[]=a&labels[]=b`
 * (Rails) and `labels=a&labels=b` arrive as arrays (src/common/form-body.ts); one `labels=a,b`
 * is split at its commas, as Chatwoot's tag lists are.
 */
export function LabelsQueryField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [String],
      description: `${description}. Sent as \`labels[]=a&labels[]=b\` (as Rails reads it), \`labels=a&labels=b\` or \`labels=a,b\``,
    }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.split(',').map((label) => label.trim()) : value,
    ),
    IsArray(),
    ArrayMaxSize(20),
    IsString({ each: true }),
    MaxLength(LIMITS.name, { each: true }),
  );
}
