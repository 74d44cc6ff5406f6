import { Command } from '@nestjs/cqrs';

export interface ProfileChanges {
  name?: string;
  display_name?: string;
  password?: string;
  current_password?: string;
}

export class UpdateProfileCommand extends Command<void> {
  constructor(
    readonly userId: number,
    readonly changes: ProfileChanges,
  ) {
    super();
  }
}
