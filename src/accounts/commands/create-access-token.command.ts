import { Command } from '@nestjs/cqrs';

export class CreateAccessTokenCommand extends Command<{ id: number; token: string }> {
  constructor(
    readonly userId: number,
    readonly name: string,
    readonly expiresInDays: number | null,
  ) {
    super();
  }
}
