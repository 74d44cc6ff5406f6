import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { UnprocessableError } from './errors.js';

export const FILTER_OPERATORS = [
  'equal_to',
  'not_equal_to',
  'contains',
  'does_not_contain',
  'starts_with',
  'is_present',
  'is_not_present',
  'is_greater_than',
  'is_less_than',
  'days_before',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export class FilterCondition {
  @ApiProperty({ example: 'email' })
  @IsString()
  @MaxLength(255)
  attribute_key: string;

  @ApiProperty({ enum: FILTER_OPERATORS })
  @IsIn(FILTER_OPERATORS)
  filter_operator: FilterOperator;

  @ApiProperty({ type: 'array', items: {}, example: ['ada@example.com'] })
  @IsArray()
  @ArrayMaxSize(100)
  values: unknown[];

  @ApiPropertyOptional({
    enum: ['AND', 'OR', 'and', 'or'],
    nullable: true,
    description: 'Joins this condition to the next',
  })
  @IsOptional()
  @IsIn(['AND', 'OR', 'and', 'or'])
  query_operator?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    description:
      "For a custom attribute: whose custom_attributes to read, conversation_attribute or contact_attribute (conversation filters can test the contact's). Without it the filter's own records'. A defined attribute compares by its definition's type.",
  })
  @IsOptional()
  @IsString()
  custom_attribute_type?: string;
}

export class FilterRequest {
  @ApiProperty({ type: [FilterCondition] })
  @ValidateNested({ each: true })
  @Type(() => FilterCondition)
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  payload: FilterCondition[];
}

/** How an attribute key maps to SQL: a column expression and how to compare it. */
export interface FilterColumn {
  sql: string;
  type: 'text' | 'number' | 'date' | 'boolean' | 'text_array';
}

/** Where a filter reads one model's custom attributes, and how defined keys compare. */
export interface CustomAttributeSource {
  /** SQL of the jsonb map, e.g. `c.custom_attributes`. */
  sql: string;
  /** The compared-as type of each defined key; other keys compare as text. */
  types: Record<string, Exclude<FilterColumn['type'], 'text_array'>>;
}

/** The custom attributes a filter can read: its own records' (`own`), and others by model name. */
export interface CustomAttributeSources {
  own: string;
  sources: Record<string, CustomAttributeSource>;
}

/**
 * Turns Chatwoot-style filter conditions into a parameterised SQL condition. Keys not in
 * `columns`, and keys whose condition names a model (custom_attribute_type), are custom
 * attributes. Values are always bound as parameters; only column expressions from `columns`
 * and `custom` are spliced into the SQL.
 */
export function buildFilterSql(
  conditions: FilterCondition[],
  columns: Record<string, FilterColumn>,
  custom: CustomAttributeSources,
  params: unknown[],
): string {
  const problems: string[] = [];
  const parts = conditions.map((condition, index) => {
    const column = columnOf(condition, columns, custom, params);
    const sql = conditionSql(condition, column, params, (problem) =>
      problems.push(`payload[${index}]: ${problem}`),
    );
    const joiner =
      index < conditions.length - 1 ? (condition.query_operator ?? 'AND').toUpperCase() : '';
    return `${sql} ${joiner}`;
  });
  if (problems.length > 0) {
    throw new UnprocessableError(
      'invalid_filter',
      `The filter is invalid: ${problems.join('; ')}.`,
      { problems },
    );
  }
  return `(${parts.join(' ').trim()})`;
}

function columnOf(
  condition: FilterCondition,
  columns: Record<string, FilterColumn>,
  custom: CustomAttributeSources,
  params: unknown[],
): FilterColumn {
  const key = condition.attribute_key;
  const named = condition.custom_attribute_type;
  const model = named && Object.hasOwn(custom.sources, named) ? named : null;
  if (Object.hasOwn(columns, key) && model === null) return columns[key];
  const source = custom.sources[model ?? custom.own];
  const value = `(${source.sql} ->> ${bind(params, key)})`;
  const type = Object.hasOwn(source.types, key) ? source.types[key] : 'text';
  // Stored values that do not fit the type (written before the definition) read as absent.
  switch (type) {
    case 'number':
      return {
        sql: `(CASE WHEN ${value} ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN ${value}::numeric END)`,
        type,
      };
    case 'date':
      return { sql: `conversa_try_timestamptz(${value})`, type };
    case 'boolean':
      return { sql: `(CASE WHEN ${value} IN ('true', 'false') THEN ${value}::boolean END)`, type };
    default:
      return { sql: value, type: 'text' };
  }
}

const HOW_TO_WRITE: Record<FilterColumn['type'], string> = {
  number: 'write a decimal number like 42 or -1.5',
  date: 'write a date like 2026-11-23 or a time like 2026-11-23T10:00:00Z',
  boolean: 'write true or false',
  text: '',
  text_array: '',
};

/** Plain decimals (what numeric columns compare with); short, so it always fits numeric. */
const isDecimal = (text: string) => text.length <= 40 && /^-?\d+(\.\d+)?$/.test(text);

/** A number PostgreSQL's numeric reads: decimals, with an exponent of at most 3 digits. */
const isNumber = (text: string) =>
  text.length <= 40 && /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/.test(text);

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:[Zz]|[+-](\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * An ISO 8601 date or time that PostgreSQL's timestamptz reads as the same instant: years
 * 0001-9999 (there is no year 0), real calendar days, hours 00-23. Date.parse is no guide:
 * it reads "1" and "2020" as years, which PostgreSQL refuses.
 */
export function isIsoTime(text: string): boolean {
  const match = ISO_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0, offsetHour = 0, offsetMinute = 0] =
    match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= (month === 2 && !leap ? 28 : daysInMonth) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHour <= 15 &&
    offsetMinute <= 59
  );
}

function bind(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

function conditionSql(
  condition: FilterCondition,
  column: FilterColumn,
  params: unknown[],
  problem: (text: string) => void,
): string {
  const { filter_operator: operator, values } = condition;
  if (operator === 'is_present') {
    return column.type === 'text_array'
      ? `cardinality(${column.sql}) > 0`
      : `${column.sql} IS NOT NULL AND ${column.sql}::text <> ''`;
  }
  if (operator === 'is_not_present') {
    return column.type === 'text_array'
      ? `cardinality(${column.sql}) = 0`
      : `(${column.sql} IS NULL OR ${column.sql}::text = '')`;
  }
  if (values.length === 0) {
    problem(`${operator} needs at least one value`);
    return 'false';
  }
  const texts = values.map((value) => String(value));
  if (operator === 'days_before')
    return daysBeforeSql(condition, column, texts[0], params, problem);
  if (column.type === 'text_array') {
    if (operator === 'equal_to' || operator === 'contains')
      return `${column.sql} && ${bind(params, texts)}::text[]`;
    if (operator === 'not_equal_to' || operator === 'does_not_contain') {
      return `NOT (${column.sql} && ${bind(params, texts)}::text[])`;
    }
    problem(`${operator} does not apply to ${condition.attribute_key}`);
    return 'false';
  }
  const cast =
    column.type === 'number'
      ? 'numeric'
      : column.type === 'date'
        ? 'timestamptz'
        : column.type === 'boolean'
          ? 'boolean'
          : 'text';
  // Reject values PostgreSQL could not cast, so a bad filter is a 422 and never a 500.
  const invalid = texts.find((text) =>
    cast === 'numeric'
      ? !isDecimal(text)
      : cast === 'timestamptz'
        ? !isIsoTime(text)
        : cast === 'boolean'
          ? !['true', 'false'].includes(text)
          : false,
  );
  if (invalid !== undefined) {
    problem(
      `"${invalid.slice(0, 40)}" is not a valid ${column.type} for ${condition.attribute_key}; ${HOW_TO_WRITE[column.type]}`,
    );
    return 'false';
  }
  const lhs = cast === 'text' ? `${column.sql}::text` : column.sql;
  switch (operator) {
    case 'equal_to':
      return `${lhs} = ANY(${bind(params, texts)}::${cast}[])`;
    case 'not_equal_to':
      return `(${lhs} IS NULL OR NOT (${lhs} = ANY(${bind(params, texts)}::${cast}[])))`;
    case 'contains':
      return `${column.sql}::text ILIKE ${bind(params, `%${escapeLike(texts[0])}%`)}`;
    case 'does_not_contain':
      return `(${column.sql} IS NULL OR ${column.sql}::text NOT ILIKE ${bind(params, `%${escapeLike(texts[0])}%`)})`;
    case 'starts_with':
      return `${column.sql}::text ILIKE ${bind(params, `${escapeLike(texts[0])}%`)}`;
    case 'is_greater_than':
    case 'is_less_than': {
      if (cast === 'text' || cast === 'boolean') {
        if (!isNumber(texts[0])) {
          problem(
            `${operator} needs a number for ${condition.attribute_key}, not "${texts[0].slice(0, 40)}"; ${HOW_TO_WRITE.number}`,
          );
          return 'false';
        }
        const symbol = operator === 'is_greater_than' ? '>' : '<';
        return `(CASE WHEN ${column.sql}::text ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN ${column.sql}::numeric END) ${symbol} ${bind(params, texts[0])}::numeric`;
      }
      const symbol = operator === 'is_greater_than' ? '>' : '<';
      return `${column.sql} ${symbol} ${bind(params, texts[0])}::${cast}`;
    }
  }
}

/** Chatwoot's days_before: the date is before today minus that many days. */
function daysBeforeSql(
  condition: FilterCondition,
  column: FilterColumn,
  days: string,
  params: unknown[],
  problem: (text: string) => void,
): string {
  if (column.type !== 'date') {
    problem(`days_before applies to dates (such as created_at), not ${condition.attribute_key}`);
    return 'false';
  }
  if (!/^\d{1,5}$/.test(days.trim())) {
    problem(`days_before needs a whole number of days, not "${days.slice(0, 40)}"`);
    return 'false';
  }
  return `${column.sql} < current_date - ${bind(params, Number(days.trim()))}::int`;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}
