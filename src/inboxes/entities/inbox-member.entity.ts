import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('inbox_members')
export class InboxMember {
  @PrimaryColumn({ type: 'integer' })
  inbox_id: number;

  @PrimaryColumn({ type: 'integer' })
  user_id: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;
}
