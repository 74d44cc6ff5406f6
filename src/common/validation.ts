import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import type { ValidatorOptions } from 'class-validator';
import { FieldError, ValidationFailedError } from './errors.js';

export const NOT_NULL_MESSAGE =
  'must not be null; leave the field out to keep the current value (or to get the default)';

/** Rewrites class-validator's wording where it would confuse an API user. */
function humanize(property: string, constraint: string, message: string): string {
  if (constraint === 'whitelistValidation') return 'is not a known field; remove it';
  // class-validator starts its messages with the property name, which `field` already says.
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

/** Every field once, with all its messages, in the order first seen. */
function merged(errors: FieldError[]): FieldError[] {
  const byField = new Map<string, string[]>();
  for (const { field, messages } of errors)
    byField.set(field, [...(byField.get(field) ?? []), ...messages]);
  return [...byField].map(([field, messages]) => ({ field, messages: [...new Set(messages)] }));
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldError[] = error.constraints
      ? [
          {
            field,
            messages: Object.entries(error.constraints).map(([name, text]) =>
              humanize(error.property, name, text),
            ),
          },
        ]
      : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

interface PropertyDoc {
  required?: boolean;
  nullable?: boolean;
}

/** Whether a value is an instance of a request class (a DTO), not a free-form map or array. */
function isDto(value: unknown): value is object {
  return typeof value === 'object' && value !== null && value.constructor !== Object;
}

/**
 * Explicit nulls on optional fields whose OpenAPI description does not say `nullable`. The
 * database keeps most such fields non-null, and class-validator's @IsOptional lets null through
 * to it, so a null there would otherwise reach the database as a 500. The OpenAPI metadata
 * decides, so the document and the behaviour cannot disagree: a field that means "clear" on
 * null says `nullable: true`.
 */
export function nullErrors(dto: object): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const [property, value] of Object.entries(dto)) {
    const doc = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, dto, property) as
      PropertyDoc | undefined;
    const error = { property, children: [] as ValidationError[] } as ValidationError;
    if (value === null && doc?.required === false && !doc.nullable) {
      error.constraints = { isNotNull: NOT_NULL_MESSAGE };
    } else if (isDto(value)) {
      error.children = nullErrors(value);
    } else if (Array.isArray(value)) {
      error.children = value.flatMap((item, index) => {
        const children = isDto(item) ? nullErrors(item) : [];
        return children.length ? [{ property: String(index), children } as ValidationError] : [];
      });
    }
    if (error.constraints || error.children!.length) errors.push(error);
  }
  return errors;
}

class AppValidationPipe extends ValidationPipe {
  /** Path parameters stay text: ParseIdPipe reads ids as sent (`+"0x10"` would be 16). */
  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.type === 'param' ? value : super.transformPrimitive(value, metadata);
  }

  protected override async validate(
    object: object,
    options?: ValidatorOptions,
  ): Promise<ValidationError[]> {
    return [...(await super.validate(object, options)), ...nullErrors(object)];
  }
}

/**
 * The one validation pipe of the app: strips nothing silently (unknown fields are an error),
 * converts query strings to declared types, refuses null where a field may not be null, and
 * reports every bad field at once.
 */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(merged(flatten(errors))),
  });
}
