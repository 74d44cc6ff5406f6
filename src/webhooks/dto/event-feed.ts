export interface EventBodyList {
  payload: Record<string, unknown>[];
  meta: { next_cursor: string | null; has_more: boolean };
}
