import { Command } from '@nestjs/cqrs';

export interface ProfileChanges {
  name?: string;
  email?: string;
  display_name?: string | null;
  password?: string;
  current_password?: string | null;
  message_signature?: string | null;
  phone_number?: string | null;
  ui_settings?: Record<string, unknown>;
}

export class UpdateProfileCommand extends Command<void> {
  constructor(
    readonly userId: number,
    readonly changes: ProfileChanges,
  ) {
    super();
  }
}
