export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
  allOf?: Schema[];
  [keyword: string]: unknown;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema> };
  [field: string]: unknown;
}

export interface OperationParameter {
  name: string;
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /** `METHOD /path`, e.g. `GET /api/v1/accounts/{account_id}/inboxes`. */
  id: string;
  operationId?: string;
  parameters: {
    path: OperationParameter[];
    query: OperationParameter[];
    header: OperationParameter[];
  };
  body: Schema | null;
  bodyRequired: boolean;
  secured: boolean;
}

export declare const HTTP_METHODS: string[];
export declare const ACCOUNT_ROUTE: RegExp;
export declare const BODY_ID_FIELDS: Record<string, { kind: string; ids?: boolean }>;
export declare class UnmappedParameterError extends Error {}
export declare function pathParameterKind(path: string, name: string): string;
export declare function resolveSchema(doc: OpenApiDocument, schema: Schema | undefined): Schema;
export declare function operationsOf(doc: OpenApiDocument): Operation[];
export declare function loadOperations(
  baseUrl: string,
): Promise<{ doc: OpenApiDocument; operations: Operation[] }>;
export declare function encodeComponent(text: string): string;
export declare function fillPath(path: string, values: Record<string, string>): string;
export declare function exampleBody(
  doc: OpenApiDocument,
  schema: Schema,
  idFor: (kind: string) => number | string,
): unknown;
