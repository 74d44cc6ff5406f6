import { describe, expect, it } from '@jest/globals';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DomainError, ValidationFailedError } from './errors.js';
import { createValidationPipe } from './validation.js';

class Address {
  @IsString()
  @MaxLength(10)
  city: string;

  @IsOptional()
  @IsString()
  zip?: string;
}

class Line {
  @IsInt()
  @Min(1)
  quantity: number;
}

class Order {
  @IsString()
  name: string;

  @IsOptional()
  @IsInt()
  @Max(10)
  priority?: number;

  @ValidateNested()
  @Type(() => Address)
  address: Address;

  @ValidateNested({ each: true })
  @Type(() => Line)
  lines: Line[];
}

const pipe = createValidationPipe();
const asBody = { type: 'body' as const, metatype: Order, data: '' };

async function failure(value: unknown): Promise<ValidationFailedError> {
  try {
    await pipe.transform(value, asBody);
  } catch (error) {
    if (error instanceof ValidationFailedError) return error;
    throw error;
  }
  throw new Error('expected a ValidationFailedError');
}

describe('the validation pipe', () => {
  it('passes a valid body, converted to the DTO class', async () => {
    const order = await pipe.transform(
      { name: 'Mugs', address: { city: 'Lyon' }, lines: [{ quantity: 2 }] },
      asBody,
    );
    expect(order).toBeInstanceOf(Order);
    expect(order.address).toBeInstanceOf(Address);
    expect(order.lines[0]).toBeInstanceOf(Line);
  });

  it('is an unprocessable domain error with a stable code', async () => {
    const error = await failure({});
    expect(error).toBeInstanceOf(DomainError);
    expect(error.kind).toBe('unprocessable');
    expect(error.code).toBe('validation_failed');
  });

  it('lists every bad field with dotted paths into nested objects and arrays', async () => {
    const error = await failure({
      name: 5,
      priority: 11,
      address: { city: 'A city with a long name', zip: 75001 },
      lines: [{ quantity: 1 }, { quantity: 0 }],
    });
    expect(error.errors.map((entry) => entry.field).sort()).toEqual(
      ['address.city', 'address.zip', 'lines.1.quantity', 'name', 'priority'].sort(),
    );
    expect(error.extensions).toEqual({ errors: error.errors });
    expect(error.message).toMatch(/^5 fields are invalid: /);
  });

  it('drops the property name that class-validator puts at the start of its messages', async () => {
    const error = await failure({
      name: 'Mugs',
      priority: 11,
      address: { city: 'Lyon' },
      lines: [],
    });
    expect(error.errors).toEqual([
      { field: 'priority', messages: ['must not be greater than 10'] },
    ]);
    expect(error.message).toBe('1 field is invalid: priority must not be greater than 10.');
  });

  it('names unknown fields, at any depth, and asks to remove them', async () => {
    const error = await failure({
      name: 'Mugs',
      address: { city: 'Lyon', planet: 'Earth' },
      lines: [{ quantity: 1, colour: 'red' }],
      coupon: 'FREE',
    });
    expect(error.errors).toEqual(
      expect.arrayContaining([
        { field: 'coupon', messages: ['is not a known field; remove it'] },
        { field: 'address.planet', messages: ['is not a known field; remove it'] },
        { field: 'lines.0.colour', messages: ['is not a known field; remove it'] },
      ]),
    );
    expect(error.errors).toHaveLength(3);
  });

  it('never echoes the values that were sent', async () => {
    const error = await failure({
      name: 'Mugs',
      address: { city: 'secret-value-123456' },
      lines: [],
      password: 'hunter22',
    });
    expect(JSON.stringify(error.errors) + error.message).not.toMatch(/secret-value|hunter22/);
  });

  describe('explicit null', () => {
    class Settings {
      @ApiPropertyOptional()
      @IsOptional()
      @IsInt()
      level?: number;

      @ApiPropertyOptional({ nullable: true })
      @IsOptional()
      @IsString()
      note?: string | null;
    }

    class Change {
      @ApiProperty()
      @IsString()
      name: string;

      @ApiPropertyOptional()
      @IsOptional()
      @IsString()
      colour?: string;

      @ApiPropertyOptional({ type: Settings })
      @IsOptional()
      @ValidateNested()
      @Type(() => Settings)
      settings?: Settings;

      @ApiPropertyOptional({ type: [Settings] })
      @IsOptional()
      @ValidateNested({ each: true })
      @Type(() => Settings)
      history?: Settings[];
    }
    const asChange = { type: 'body' as const, metatype: Change, data: '' };

    it('is refused on an optional field the OpenAPI document does not call nullable, at any depth', async () => {
      let error: unknown;
      try {
        await pipe.transform(
          { name: 'x', colour: null, settings: { level: null }, history: [{}, { level: null }] },
          asChange,
        );
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationFailedError);
      const message =
        'must not be null; leave the field out to keep the current value (or to get the default)';
      expect((error as ValidationFailedError).errors).toEqual([
        { field: 'colour', messages: [message] },
        { field: 'settings.level', messages: [message] },
        { field: 'history.1.level', messages: [message] },
      ]);
    });

    it('is accepted where the field is documented nullable', async () => {
      const change = await pipe.transform({ name: 'x', settings: { note: null } }, asChange);
      expect(change.settings.note).toBeNull();
    });
  });

  it('names the field where an object that cannot become a value was sent, at any depth', async () => {
    class Counted {
      @Type(() => Number)
      @IsInt()
      count: number;
    }
    class Batch {
      @Type(() => Number)
      @IsInt()
      total: number;

      @ValidateNested({ each: true })
      @Type(() => Counted)
      items: Counted[];
    }
    const asBatch = { type: 'body' as const, metatype: Batch, data: '' };
    const unconvertible = { toString: 'x', valueOf: null };
    for (const [body, field] of [
      [{ total: unconvertible, items: [] }, 'total'],
      [{ total: 1, items: [{ count: 1 }, { count: unconvertible }] }, 'items.1.count'],
    ] as const) {
      const error = await pipe.transform(body, asBatch).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationFailedError);
      expect((error as ValidationFailedError).errors.map((each) => each.field)).toEqual([field]);
    }
  });

  it('leaves path parameters as sent, for ParseIdPipe to read', async () => {
    for (const text of ['0x10', ' 1', '1e1', '+1']) {
      expect(await pipe.transform(text, { type: 'param', metatype: Number, data: 'id' })).toBe(
        text,
      );
    }
    expect(await pipe.transform('7', { type: 'query', metatype: Number, data: 'page' })).toBe(7);
  });
});
