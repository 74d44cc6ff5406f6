import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Limits shared by every module, so a name or attribute means the same length everywhere. */
export const LIMITS = { name: 255, email: 255, attributeValue: 1_500, content: 150_000 } as const;

const trim = Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

interface FieldOptions {
  description?: string;
  example?: unknown;
  optional?: boolean;
}

function documented(type: unknown, options: FieldOptions) {
  const { optional, ...rest } = options;
  return optional
    ? applyDecorators(ApiPropertyOptional({ type: type as never, ...rest }), IsOptional())
    : ApiProperty({ type: type as never, ...rest });
}

/** A human name: trimmed, not blank, at most 255 characters. */
export function NameField(options: FieldOptions = {}) {
  return applyDecorators(
    documented(String, { maxLength: LIMITS.name, ...options } as FieldOptions),
    trim,
    IsString(),
    IsNotEmpty({ message: 'must not be blank' }),
    MaxLength(LIMITS.name, { message: `must be at most ${LIMITS.name} characters` }),
  );
}

/** An email address, trimmed and lower-cased so that lookups are case-insensitive. */
export function EmailField(options: FieldOptions = {}) {
  return applyDecorators(
    documented(String, { format: 'email', ...options } as FieldOptions),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsEmail({}, { message: 'must be an email address like name@example.com' }),
    MaxLength(LIMITS.email, { message: `must be at most ${LIMITS.email} characters` }),
  );
}
