import { Command } from '@nestjs/cqrs';

/** Sets the password of an agent invited without one, with their one-time token. */
export class SetPasswordWithTokenCommand extends Command<{ userId: number; email: string }> {
  constructor(
    readonly token: string,
    readonly password: string,
  ) {
    super();
  }
}

/**
 * A new one-time token for an agent this account invited without a password who has not set
 * one yet (the first token was shown once, and may be lost or expired); the old one stops working.
 */
export class ReissuePasswordSetupCommand extends Command<{ token: string; expiresAt: Date }> {
  constructor(
    readonly accountId: number,
    readonly userId: number,
  ) {
    super();
  }
}
