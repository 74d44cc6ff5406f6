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

/**
 * Makes a new user (with a password) an agent of the account at once; an existing user (by
 * email) is invited instead, and becomes an agent only by accepting (`invitationId`).
 */
export class AddAgentCommand extends Command<{ userId: number; invitationId: number | null }> {
  constructor(
    readonly accountId: number,
    readonly agent: NewAgent,
    readonly actor: Actor,
  ) {
    super();
  }
}
