/* eslint-disable @typescript-eslint/no-explicit-any -- schemas are plain JSON */
/** Operations whose answer follows Chatwoot's code, not its swagger: the shape, built from the document. */
export declare const SWAGGER_ERRATA: Record<string, { why: string; schema: (doc: any) => any }>;
/** Corrections to Chatwoot's component schemas: `[api, JSON pointer, value, why]`. */
export declare const DOCUMENT_ERRATA: [string, string, unknown, string][];
