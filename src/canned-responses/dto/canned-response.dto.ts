import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { LIMITS } from '../../common/index.js';
import type { CannedResponse } from '../entities/canned-response.entity.js';

const trim = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);

export class CreateCannedResponseRequest {
  @ApiProperty({
    description: 'What agents type to insert it; unique per account',
    maxLength: LIMITS.name,
    example: 'welcome',
  })
  @trim
  @IsString()
  @IsNotEmpty({ message: 'must not be blank' })
  @MaxLength(LIMITS.name)
  short_code: string;

  @ApiProperty({
    description: 'The message text',
    maxLength: LIMITS.content,
    example: 'Hello {{contact.name}}! Welcome to our service.',
  })
  @IsString()
  @IsNotEmpty({ message: 'must not be blank' })
  @MaxLength(LIMITS.content)
  content: string;
}

export class UpdateCannedResponseRequest {
  @ApiPropertyOptional({ maxLength: LIMITS.name, example: 'welcome' })
  @IsOptional()
  @trim
  @IsString()
  @IsNotEmpty({ message: 'must not be blank' })
  @MaxLength(LIMITS.name)
  short_code?: string;

  @ApiPropertyOptional({ maxLength: LIMITS.content, example: 'Hi {{contact.name}}!' })
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'must not be blank' })
  @MaxLength(LIMITS.content)
  content?: string;
}

export class SearchCannedResponsesParams {
  @ApiPropertyOptional({
    description:
      'Only those whose short code or content contains this (ignoring case), best first: short codes starting with it, then containing it, then content matches',
    maxLength: LIMITS.name,
  })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name)
  search?: string;
}

/** Chatwoot's canned response. */
export class CannedResponseResponse {
  @ApiProperty() id: number;
  @ApiProperty() account_id: number;
  @ApiProperty() short_code: string;
  @ApiProperty() content: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export function toCannedResponse(row: CannedResponse): CannedResponseResponse {
  return {
    id: row.id,
    account_id: row.account_id,
    short_code: row.short_code,
    content: row.content,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
