import { Command } from '@nestjs/cqrs';

/** Creates a canned response (id null) or updates one; short codes are unique per account. */
export class SaveCannedResponseCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly id: number | null,
    readonly fields: { shortCode?: string; content?: string },
  ) {
    super();
  }
}

export class DeleteCannedResponseCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly id: number,
  ) {
    super();
  }
}
