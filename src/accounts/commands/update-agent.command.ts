import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { Availability, Role } from '../entities/account-user.entity.js';

export interface AgentChanges {
  name?: string;
  role?: Role;
  availability?: Availability;
  autoOffline?: boolean;
}

/** Changes an agent's role, availability or name within an account. */
export class UpdateAgentCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly userId: number,
    readonly changes: AgentChanges,
    readonly actor: Actor,
  ) {
    super();
  }
}
