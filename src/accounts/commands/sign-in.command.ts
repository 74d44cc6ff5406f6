import { Command } from '@nestjs/cqrs';

/** Checks an email and password and issues a new, expiring access token. */
export class SignInCommand extends Command<{ userId: number; tokenId: number; token: string }> {
  constructor(
    readonly email: string,
    readonly password: string,
  ) {
    super();
  }
}
