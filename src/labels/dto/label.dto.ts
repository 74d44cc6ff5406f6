import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { LIMITS } from '../../common/index.js';
import type { Label } from '../entities/label.entity.js';

const TITLE_MESSAGE =
  'must be letters, digits, hyphens and underscores only (no spaces), like billing or vip_customer';

class LabelFields {
  @ApiPropertyOptional({
    description: 'null clears it',
    nullable: true,
    type: String,
    example: 'Conversations about invoices',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(LIMITS.content)
  description?: string | null;

  @ApiPropertyOptional({ description: 'Hex colour, #rrggbb or #rgb', example: '#1f93ff' })
  @IsOptional()
  @Matches(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, {
    message: 'must be a hex colour like #1f93ff',
  })
  color?: string;

  @ApiPropertyOptional({ description: 'Whether the label is listed in the sidebar' })
  @IsOptional()
  @IsBoolean()
  show_on_sidebar?: boolean;
}

const lowerCaseTitle = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value,
);

export class CreateLabelRequest extends LabelFields {
  @ApiProperty({
    description: `Unique per account ignoring case; stored in lower case; ${TITLE_MESSAGE}`,
    maxLength: LIMITS.name,
    example: 'billing',
  })
  @lowerCaseTitle
  @IsString()
  @Matches(/^[\p{L}\p{N}_-]+$/u, { message: TITLE_MESSAGE })
  @MaxLength(LIMITS.name)
  title: string;
}

export class UpdateLabelRequest extends LabelFields {
  @ApiPropertyOptional({
    description: `A new title: conversations and contacts carrying the old one are renamed with it; ${TITLE_MESSAGE}`,
    maxLength: LIMITS.name,
    example: 'invoices',
  })
  @IsOptional()
  @lowerCaseTitle
  @IsString()
  @Matches(/^[\p{L}\p{N}_-]+$/u, { message: TITLE_MESSAGE })
  @MaxLength(LIMITS.name)
  title?: string;
}

/** Chatwoot's label. */
export class LabelResponse {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'billing' }) title: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: '#1f93ff' }) color: string;
  @ApiProperty() show_on_sidebar: boolean;
}

export class LabelListResponse {
  @ApiProperty({ type: [LabelResponse] }) payload: LabelResponse[];
}

export function toLabelResponse(label: Label): LabelResponse {
  return {
    id: label.id,
    title: label.title,
    description: label.description,
    color: label.color,
    show_on_sidebar: label.show_on_sidebar,
  };
}
