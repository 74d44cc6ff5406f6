import { Command } from '@nestjs/cqrs';

export type SetupAccountResult =
  | { created: false; userId: number }
  | {
      created: true;
      accountId: number;
      userId: number;
      token: string;
      generatedPassword: string | null;
    };

/** Creates an account with its first administrator, unless a user has the email already. */
export class SetupAccountCommand extends Command<SetupAccountResult> {
  constructor(
    readonly accountName: string,
    readonly name: string,
    readonly email: string,
    readonly password: string | null,
  ) {
    super();
  }
}
