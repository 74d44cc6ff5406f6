import type { Actor } from '../../common/index.js';
import type { Role } from '../entities/account-user.entity.js';

export class AgentAddedEvent {
  constructor(
    readonly accountId: number,
    readonly userId: number,
    readonly role: Role,
    readonly actor: Actor,
  ) {}
}
