import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ValidationFailedError } from './errors.js';

/** Rewrites class-validator's wording where it would confuse an API user. */
function humanize(property: string, constraint: string, message: string): string {
  if (constraint === 'whitelistValidation') return 'is not a known field; remove it';
  // class-validator starts its messages with the property name, which `field` already says.
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
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

/**
 * The one validation pipe of the app: strips nothing silently (unknown fields are an error),
 * converts query strings to declared types, and reports every bad field at once.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flatten(errors)),
  });
}
