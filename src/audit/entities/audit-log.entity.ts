import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One administrator action: who, when, from where, on what, and what they sent (no secrets). */
@Entity('audit_logs')
export class AuditLog {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;
  @Column({ type: 'integer' }) account_id: number;
  @Column({ type: 'varchar', length: 64 }) auditable_type: string;
  @Column({ type: 'bigint', nullable: true }) auditable_id: string | null;
  @Column({ type: 'varchar', length: 16 }) action: string;
  /** The route: `PATCH /api/v1/accounts/{account_id}/teams/{id}`. */
  @Column({ type: 'varchar', length: 300 }) operation: string;
  @Column({ type: 'jsonb' }) audited_changes: Record<string, unknown>;
  @Column({ type: 'integer', nullable: true }) user_id: number | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) username: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) remote_address: string | null;
  @Column({ type: 'varchar', length: 64 }) request_uuid: string;
  @Column({ type: 'timestamptz' }) created_at: Date;
}
