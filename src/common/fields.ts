import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/** Limits shared by every module, so a name or attribute means the same length everywhere. */
export const LIMITS = { name: 255, email: 255, attributeValue: 1_500, content: 150_000 } as const;

const trim = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);

interface FieldOptions {
  description?: string;
  nullable?: boolean;
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
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toLowerCase() : value,
    ),
    IsEmail({}, { message: 'must be an email address like name@example.com' }),
    MaxLength(LIMITS.email, { message: `must be at most ${LIMITS.email} characters` }),
  );
}

/**
 * Whether `value` is an absolute http(s) URL as WHATWG URL parsing (what the HTTP client uses)
 * reads it: numeric hosts like 2130706433 parse (as 127.0.0.1) and are left to the SSRF policy.
 */
export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** An http(s) URL such as a webhook endpoint. */
export function HttpUrlField(options: FieldOptions = {}) {
  return applyDecorators(
    documented(String, { format: 'uri', maxLength: 2048, ...options } as FieldOptions),
    trim,
    (object: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isHttpUrl',
        target: object.constructor,
        propertyName: String(propertyName),
        validator: {
          validate: isHttpUrl,
          defaultMessage: () => 'must be an http:// or https:// URL',
        },
      }),
    MaxLength(2048, { message: 'must be at most 2048 characters' }),
  );
}

/**
 * A text of at most `max` characters (`nonEmpty`: not ""), with one message for each way it
 * can be wrong, so a missing text is not also reported as too long.
 */
export function IsText(max: number, missing: string, nonEmpty = false): PropertyDecorator {
  const problem = (value: unknown) =>
    typeof value !== 'string' || (nonEmpty && value.length === 0)
      ? missing
      : value.length > max
        ? `must be at most ${max} characters`
        : null;
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isText',
      target: object.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => problem(value) === null,
        defaultMessage: (args: ValidationArguments) => problem(args.value) ?? 'is invalid',
      },
    });
}

const MAX_ATTRIBUTES = 100;

/** The most a JSON object field (attribute map, content_attributes) may take, as JSON text. */
export const MAX_JSON_OBJECT_BYTES = 64 * 1024;

function jsonSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/**
 * A free-form attribute map (custom_attributes, additional_attributes): a JSON object of at
 * most 100 keys. As in Chatwoot, string values are capped at 1,500 characters; arrays and
 * objects are not capped one by one, only the whole map (64 KB as JSON).
 */
export function IsAttributeMap(validationOptions?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isAttributeMap',
      target: object.constructor,
      propertyName: String(propertyName),
      options: validationOptions,
      validator: {
        validate(value: unknown) {
          return attributeMapProblem(value) === null;
        },
        defaultMessage(args: ValidationArguments) {
          return attributeMapProblem(args.value) ?? 'is invalid';
        },
      },
    });
}

export function attributeMapProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'must be a JSON object';
  const entries = Object.entries(value);
  if (entries.length > MAX_ATTRIBUTES) return `must have at most ${MAX_ATTRIBUTES} keys`;
  for (const [key, item] of entries) {
    if (key.length > LIMITS.name) return `has a key longer than ${LIMITS.name} characters`;
    if (typeof item === 'string' && item.length > LIMITS.attributeValue) {
      return `value of "${key.slice(0, 40)}" must be at most ${LIMITS.attributeValue} characters`;
    }
  }
  if (jsonSize(value) > MAX_JSON_OBJECT_BYTES)
    return `must be at most ${MAX_JSON_OBJECT_BYTES / 1024} KB as JSON`;
  return null;
}

export function AttributesField(options: FieldOptions = {}) {
  return applyDecorators(
    documented(Object, {
      description: `JSON object, at most ${MAX_ATTRIBUTES} keys, string values up to 1,500 characters, ${MAX_JSON_OBJECT_BYTES / 1024} KB in all`,
      ...options,
    }),
    IsAttributeMap(),
  );
}

function jsonObjectProblem(value: unknown): string | null {
  if (typeof value === 'string')
    return 'is a string but not valid JSON; send a JSON object, or a string holding one';
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'must be a JSON object (or a string holding one)';
  if (jsonSize(value) > MAX_JSON_OBJECT_BYTES)
    return `must be at most ${MAX_JSON_OBJECT_BYTES / 1024} KB as JSON`;
  return null;
}

/**
 * A structured JSON object such as content_attributes (cards, form and select items) or
 * template_params: no per-value cap, 64 KB as JSON in all. As in Chatwoot, a string holding
 * JSON is parsed first (form posts send it that way).
 */
export function JsonObjectField(options: FieldOptions = {}) {
  return applyDecorators(
    documented(Object, {
      description: `JSON object (or a string holding one), at most ${MAX_JSON_OBJECT_BYTES / 1024} KB as JSON`,
      ...options,
    }),
    Transform(({ value }: { value: unknown }) => {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value; // the validator names the problem
      }
    }),
    (object: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isJsonObject',
        target: object.constructor,
        propertyName: String(propertyName),
        validator: {
          validate: (value: unknown) => jsonObjectProblem(value) === null,
          defaultMessage: (args: ValidationArguments) =>
            jsonObjectProblem(args.value) ?? 'is invalid',
        },
      }),
  );
}
