import { Command } from '@nestjs/cqrs';

/** Revokes one of the user's tokens; revoking again is harmless. */
export class RevokeAccessTokenCommand extends Command<void> {
  constructor(
    readonly userId: number,
    readonly tokenId: number,
  ) {
    super();
  }
}
