import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The counters of a rollup row (both grains have them). */
export abstract class RollupCounters {
  @Column({ type: 'integer' }) conversations: number;
  @Column({ type: 'integer' }) incoming_messages: number;
  @Column({ type: 'integer' }) outgoing_messages: number;
  @Column({ type: 'integer' }) resolutions: number;
  @Column({ type: 'double precision' }) resolution_sum: number;
  @Column({ type: 'double precision' }) resolution_bh_sum: number;
  @Column({ type: 'integer' }) first_responses: number;
  @Column({ type: 'double precision' }) first_response_sum: number;
  @Column({ type: 'double precision' }) first_response_bh_sum: number;
  @Column({ type: 'integer' }) replies: number;
  @Column({ type: 'double precision' }) reply_sum: number;
  @Column({ type: 'double precision' }) reply_bh_sum: number;
  @Column({ type: 'integer' }) reopens: number;
  @Column({ type: 'integer' }) bot_handoffs: number;
  @Column({ type: 'integer' }) frt_under_1h: number;
  @Column({ type: 'integer' }) frt_1_4h: number;
  @Column({ type: 'integer' }) frt_4_8h: number;
  @Column({ type: 'integer' }) frt_8_24h: number;
  @Column({ type: 'integer' }) frt_over_24h: number;
}

/** Sums of one account dimension (agent 7, inbox 3, label "billing", ...) in one UTC hour. */
@Entity('report_rollups')
export class ReportRollup extends RollupCounters {
  @PrimaryColumn({ type: 'integer' }) account_id: number;
  @PrimaryColumn({ type: 'varchar', length: 16 }) dimension: string;
  @PrimaryColumn({ type: 'varchar', length: 300 }) dimension_key: string;
  @PrimaryColumn({ type: 'timestamptz' }) hour: Date;
}

/** The same sums in one UTC day, so that summaries read days and only their edges by the hour. */
@Entity('report_rollups_daily')
export class ReportRollupDaily extends RollupCounters {
  @PrimaryColumn({ type: 'integer' }) account_id: number;
  @PrimaryColumn({ type: 'varchar', length: 16 }) dimension: string;
  @PrimaryColumn({ type: 'varchar', length: 300 }) dimension_key: string;
  @PrimaryColumn({ type: 'timestamptz' }) day: Date;
}
