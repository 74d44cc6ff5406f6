import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { Availability, Role } from '../entities/account-user.entity.js';

export interface NewAgent {
  name: string;
  email: string;
  role: Role;
  availability?: Availability;
  autoOffline?: boolean;
  /**
   * For a new user. Without it the user is created unconfirmed, with a one-time token to set
   * one (`passwordSetup`), as Chatwoot invites agents by email.
   */
  password?: string;
}

export interface AddedAgent {
  userId: number;
  invitationId: number | null;
  /** The token a new user without a password sets one with: returned here, kept only hashed. */
  passwordSetup: { token: string; expiresAt: Date } | null;
}

/**
 * Makes a new user an agent of the account at once (without a password: unconfirmed until
 * they set one with `passwordSetup`); an existing user (by email) is invited instead, and
 * becomes an agent only by accepting (`invitationId`).
 */
export class AddAgentCommand extends Command<AddedAgent> {
  constructor(
    readonly accountId: number,
    readonly agent: NewAgent,
    readonly actor: Actor,
  ) {
    super();
  }
}
