import type { Actor } from '../../common/index.js';

/** The user is no longer an agent of the account; other modules drop their references. */
export class AgentRemovedEvent {
  constructor(
    readonly accountId: number,
    readonly userId: number,
    readonly actor: Actor,
  ) {}
}
