import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { Availability, Role } from '../entities/account-user.entity.js';

export interface NewAgent {
  name: string;
  email: string;
  role: Role;
  availability?: Availability;
  autoOffline?: boolean;
  /** Needed only when no user has the email yet. */
  password?: string;
}

/** Makes a user (new or existing, by email) an agent of the account. */
export class AddAgentCommand extends Command<{ userId: number }> {
  constructor(
    readonly accountId: number,
    readonly agent: NewAgent,
    readonly actor: Actor,
  ) {
    super();
  }
}
