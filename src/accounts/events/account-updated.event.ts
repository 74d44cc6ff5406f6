import type { Actor } from '../../common/index.js';

/** An administrator changed the account's name or settings (PATCH /api/v1/accounts/{id}). */
export class AccountUpdatedEvent {
  constructor(
    readonly accountId: number,
    /** The fields the request changed, by their API names. */
    readonly changed: string[],
    readonly actor: Actor,
  ) {}
}
