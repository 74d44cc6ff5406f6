import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional } from 'class-validator';
import { NameField } from '../../common/index.js';
import { CustomFilter, FILTER_TYPES } from '../entities/custom-filter.entity.js';
import type { FilterType } from '../entities/custom-filter.entity.js';

const QUERY_DESCRIPTION =
  'For conversation and contact filters: the body of POST /conversations/filter or /contacts/filter (`{"payload": [conditions]}`), checked as those endpoints check it; run the filter by sending it there. An empty object (the default, as in Chatwoot) is a filter without conditions: it stands for every conversation or contact, listed by GET /conversations or /contacts. For report filters: any JSON object.';

const QUERY_EXAMPLE = {
  payload: [
    {
      attribute_key: 'status',
      filter_operator: 'equal_to',
      values: ['open'],
      query_operator: null,
    },
  ],
};

export class CreateCustomFilterRequest {
  @NameField({ example: 'Open conversations' })
  name: string;

  @ApiPropertyOptional({ enum: FILTER_TYPES, default: 'conversation' })
  @IsOptional()
  @IsIn(FILTER_TYPES)
  filter_type?: FilterType;

  @ApiPropertyOptional({
    enum: FILTER_TYPES,
    description: "Same as filter_type (the name Chatwoot's OpenAPI document uses)",
  })
  @IsOptional()
  @IsIn(FILTER_TYPES)
  type?: FilterType;

  @ApiPropertyOptional({
    type: Object,
    description: QUERY_DESCRIPTION,
    example: QUERY_EXAMPLE,
    default: {},
  })
  @IsOptional()
  @IsObject()
  query?: Record<string, unknown>;
}

export class UpdateCustomFilterRequest {
  @NameField({ optional: true, example: 'Open and urgent' })
  name?: string;

  @ApiPropertyOptional({ enum: FILTER_TYPES })
  @IsOptional()
  @IsIn(FILTER_TYPES)
  filter_type?: FilterType;

  @ApiPropertyOptional({ enum: FILTER_TYPES, description: 'Same as filter_type' })
  @IsOptional()
  @IsIn(FILTER_TYPES)
  type?: FilterType;

  @ApiPropertyOptional({ type: Object, description: QUERY_DESCRIPTION, example: QUERY_EXAMPLE })
  @IsOptional()
  @IsObject()
  query?: Record<string, unknown>;
}

export class ListCustomFiltersParams {
  @ApiPropertyOptional({ enum: FILTER_TYPES, default: 'conversation' })
  @IsOptional()
  @IsIn(FILTER_TYPES)
  filter_type?: FilterType;
}

/** Chatwoot's custom filter (its view says filter_type, its OpenAPI document type: both). */
export class CustomFilterResponse {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: FILTER_TYPES }) filter_type: FilterType;
  @ApiProperty({ enum: FILTER_TYPES, description: 'Same as filter_type' }) type: FilterType;
  @ApiProperty({ type: Object, example: QUERY_EXAMPLE }) query: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export function toCustomFilterResponse(row: CustomFilter): CustomFilterResponse {
  return {
    id: row.id,
    name: row.name,
    filter_type: row.filter_type,
    type: row.filter_type,
    query: row.query,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
