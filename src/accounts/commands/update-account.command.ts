import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { UpdateAccountRequest } from '../dto/requests.js';

/** Chatwoot's account update: name, locale, domain, support_email, settings, custom attributes. */
export class UpdateAccountCommand extends Command<void> {
  constructor(
    readonly accountId: number,
    readonly changes: UpdateAccountRequest,
    readonly actor: Actor,
  ) {
    super();
  }
}
