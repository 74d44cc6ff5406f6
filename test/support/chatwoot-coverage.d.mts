/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI documents are plain JSON */
export interface DocumentOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /** `METHOD /path`, as the document spells it. */
  id: string;
  /** `METHOD /path` with positional parameters and no trailing slash. */
  key: string;
  operation: any;
  pathItem: any;
}

export interface ChatwootOperation extends DocumentOperation {
  api: 'application' | 'client' | 'platform';
  group: string;
  excluded: boolean;
}

export interface ContractNote {
  status?: number;
  code?: string;
  mismatches?: string[];
  why: string;
}

export interface OperationNote {
  /** Shown in the table whatever the verdict. */
  note?: string;
  /** Why Conversa does not route it; shown only while it does not. */
  missing?: string;
  /** How a routed operation differs from Chatwoot's documents (the verdict becomes "differs"). */
  differs?: string;
  /**
   * What the contract request gets today instead of a conforming success: a problem (`status`
   * and `code`), or the exact `mismatches` of its answer with Chatwoot's schema. The contract
   * suite fails when this changes, so the note goes when the gap is closed.
   */
  contract?: ContractNote;
  /** The same for the request sent as an application/x-www-form-urlencoded form, when it differs. */
  form?: ContractNote;
}

export interface CoverageNotes {
  operations: Record<string, OperationNote>;
}

export declare const NOTES_FILE: URL;
export declare const TABLE_FILE: URL;
export declare const TARGET_PERCENT: number;
export declare const EXCLUDED_TAGS: Record<string, string>;
export declare const CHATWOOT_APIS: { api: string; title: string; file: string }[];
export declare function chatwootDocuments(): Record<'application' | 'client' | 'platform', any>;
export declare function routeKey(method: string, path: string): string;
export declare function documentOperations(doc: any): DocumentOperation[];
export declare function chatwootOperations(): ChatwootOperation[];
export declare function conversaRoutes(conversaDoc: any): Map<string, DocumentOperation>;
export declare function readNotes(): CoverageNotes;
export declare function notesProblems(notes: CoverageNotes, conversaDoc: any): string[];
export declare function coverageRows(
  conversaDoc: any,
  notes: CoverageNotes,
): (ChatwootOperation & {
  supported: 'yes' | 'no' | 'differs';
  conversa?: DocumentOperation;
  notes: string;
})[];
export declare function renderCoverage(conversaDoc: any, notes: CoverageNotes): string;
export declare function readCommittedTable(): string;
