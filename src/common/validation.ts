import { AsyncLocalStorage } from 'node:async_hooks';
import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ValidatorOptions } from 'class-validator';
import { FieldError, ValidationFailedError } from './errors.js';
import { coerceFormValues, isFormBody } from './form-body.js';

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

/** What to do with a request field no request class declares (the UNKNOWN_FIELDS setting). */
export const UNKNOWN_FIELD_POLICIES = ['reject', 'ignore'] as const;
export type UnknownFieldPolicy = (typeof UNKNOWN_FIELD_POLICIES)[number];

/** The response header that names the fields an `ignore` deployment dropped from a request. */
export const IGNORED_FIELDS_HEADER = 'conversa-ignored-fields';

/** The fields dropped from each request body or query object, read when the answer is sent. */
const ignoredFieldsOf = new WeakMap<object, string[]>();

/** The unknown fields dropped from `input` (a request's body or query object), if any. */
export function ignoredFields(input: unknown): string[] {
  return typeof input === 'object' && input !== null ? (ignoredFieldsOf.get(input) ?? []) : [];
}

/**
 * Removes the properties the whitelist check refused from `object` (where they sit in it) and
 * returns their paths and the errors left.
 */
function dropUnknown(
  object: object,
  errors: ValidationError[],
  parent = '',
): { dropped: string[]; rest: ValidationError[] } {
  const dropped: string[] = [];
  const rest: ValidationError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const holder = object as Record<string, unknown>;
    const { whitelistValidation, ...constraints } = error.constraints ?? {};
    if (whitelistValidation) {
      delete holder[error.property];
      dropped.push(field);
      if (Object.keys(constraints).length) rest.push({ ...error, constraints, children: [] });
      continue;
    }
    const child = holder[error.property];
    const inner =
      typeof child === 'object' && child !== null
        ? dropUnknown(child, error.children ?? [], field)
        : { dropped: [], rest: error.children ?? [] };
    dropped.push(...inner.dropped);
    if (error.constraints || inner.rest.length) rest.push({ ...error, children: inner.rest });
  }
  return { dropped, rest };
}

/** Whether JavaScript can turn `value` into text or a number (`{ toString: 'x' }` cannot). */
function isConvertible(value: object): boolean {
  try {
    String(value);
    Number(value);
    return true;
  } catch {
    return false;
  }
}

/** The dotted paths (as `flatten` writes them) of the objects in `value` that cannot become values. */
function unconvertibleFields(value: unknown, parent = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([property, child]) => {
    const field = parent ? `${parent}.${property}` : property;
    if (typeof child !== 'object' || child === null) return [];
    return isConvertible(child) ? unconvertibleFields(child, field) : [field];
  });
}

class AppValidationPipe extends ValidationPipe {
  /** The unknown fields `validate` dropped, for the `transform` call it runs in. */
  private readonly dropped = new AsyncLocalStorage<string[]>();

  constructor(
    private readonly unknownFields: UnknownFieldPolicy,
    options: ConstructorParameters<typeof ValidationPipe>[0],
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    // Form values are text; typed by the request class so that they validate as JSON would.
    const input =
      metadata.type === 'body' && isFormBody(value) && typeof metatype === 'function'
        ? coerceFormValues(value as Record<string, unknown>, metatype as new () => object)
        : value;
    const dropped: string[] = [];
    try {
      return await this.dropped.run(dropped, () => super.transform(input, metadata));
    } catch (error) {
      // class-transformer turning an object whose own `toString`/`valueOf` is not a function
      // into a number or text throws; the client sent an object where a value belongs.
      if (error instanceof TypeError && /convert object to primitive/i.test(error.message)) {
        const fields = unconvertibleFields(input);
        throw new ValidationFailedError(
          (fields.length ? fields : [`(${metadata.type})`]).map((field) => ({
            field,
            messages: [
              'an object was sent where text, a number or a list of them is expected; send plain values',
            ],
          })),
        );
      }
      throw error;
    } finally {
      // Named in the answer (IGNORED_FIELDS_HEADER) whether or not validation passed.
      if (dropped.length && typeof value === 'object' && value !== null)
        ignoredFieldsOf.set(value, [...(ignoredFieldsOf.get(value) ?? []), ...dropped]);
    }
  }

  /** Path parameters stay text: ParseIdPipe reads ids as sent (`+"0x10"` would be 16). */
  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.type === 'param' ? value : super.transformPrimitive(value, metadata);
  }

  protected override async validate(
    object: object,
    options?: ValidatorOptions,
  ): Promise<ValidationError[]> {
    let errors = await super.validate(object, options);
    if (this.unknownFields === 'ignore') {
      const { dropped, rest } = dropUnknown(object, errors);
      this.dropped.getStore()?.push(...dropped);
      errors = rest;
    }
    return [...errors, ...nullErrors(object)];
  }
}

/**
 * The one validation pipe of the app: converts query strings (and form values) to declared
 * types, refuses null where a field may not be null, and reports every bad field at once.
 * Unknown fields are never dropped silently: `reject` answers 422 naming them, `ignore` drops
 * them and names them in the Conversa-Ignored-Fields response header.
 */
export function createValidationPipe(unknownFields: UnknownFieldPolicy = 'reject'): ValidationPipe {
  return new AppValidationPipe(unknownFields, {
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(merged(flatten(errors))),
  });
}

/**
 * Checks a JSON value nested in a request (e.g. a saved filter's query) as the pipe checks a
 * body of `type`, reporting bad fields under `field`; answers the validated instance.
 */
export async function validateAs<T extends object>(
  type: new () => T,
  value: unknown,
  field: string,
): Promise<T> {
  const instance = plainToInstance(type, value);
  const errors = [
    ...(await validate(instance, { whitelist: true, forbidNonWhitelisted: true })),
    ...nullErrors(instance),
  ];
  if (errors.length > 0) throw new ValidationFailedError(merged(flatten(errors, field)));
  return instance;
}
