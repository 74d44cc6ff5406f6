import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('team_members')
export class TeamMember {
  @PrimaryColumn({ type: 'integer' })
  team_id: number;

  @PrimaryColumn({ type: 'integer' })
  user_id: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;
}
