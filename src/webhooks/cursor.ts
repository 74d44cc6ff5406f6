import { InvalidCursorError } from './webhooks.errors.js';

/** Opaque cursors over increasing row ids. */
export function encodeCursor(id: string): string {
  return Buffer.from(`c1:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const match = /^c1:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidCursorError();
  return match[1];
}
