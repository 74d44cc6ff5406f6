import type { EntityManager } from 'typeorm';

/** The audit module's SQL: one table, audit_logs. */
export interface NewAuditLog {
  accountId: number;
  auditableType: string;
  auditableId: string | null;
  action: string;
  operation: string;
  changes: Record<string, unknown>;
  userId: number;
  username: string | null;
  remoteAddress: string | null;
  requestUuid: string;
}

export async function insertAuditLog(manager: EntityManager, entry: NewAuditLog): Promise<void> {
  await manager.query(
    `INSERT INTO audit_logs (account_id, auditable_type, auditable_id, action, operation,
       audited_changes, user_id, username, remote_address, request_uuid)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10)`,
    [
      entry.accountId,
      entry.auditableType,
      entry.auditableId !== null && /^\d{1,18}$/.test(entry.auditableId) ? entry.auditableId : null,
      entry.action,
      entry.operation.slice(0, 300),
      JSON.stringify(entry.changes),
      entry.userId,
      entry.username,
      entry.remoteAddress,
      entry.requestUuid.slice(0, 64),
    ],
  );
}

export interface AuditLogRow {
  id: number;
  account_id: number;
  auditable_type: string;
  auditable_id: number | null;
  action: string;
  operation: string;
  audited_changes: Record<string, unknown>;
  user_id: number | null;
  username: string | null;
  remote_address: string | null;
  request_uuid: string;
  created_at: number;
}

export async function listAuditLogs(
  manager: EntityManager,
  accountId: number,
  page: number,
  perPage: number,
): Promise<{ total: number; rows: AuditLogRow[] }> {
  const [{ total }] = await manager.query(
    `SELECT count(*)::int AS total FROM audit_logs WHERE account_id = $1`,
    [accountId],
  );
  const rows: AuditLogRow[] = await manager.query(
    `SELECT id::int AS id, account_id, auditable_type, auditable_id::int AS auditable_id, action,
            operation, audited_changes, user_id, username, remote_address, request_uuid,
            extract(epoch FROM created_at)::int AS created_at
       FROM audit_logs WHERE account_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`,
    [accountId, perPage, (page - 1) * perPage],
  );
  return { total, rows };
}

export async function deleteAuditLogsBefore(
  manager: EntityManager,
  before: Date,
  batch = 5_000,
): Promise<number> {
  const [, count] = await manager.query(
    `DELETE FROM audit_logs WHERE id IN (SELECT id FROM audit_logs WHERE created_at < $1 LIMIT $2)`,
    [before, batch],
  );
  return count ?? 0;
}
