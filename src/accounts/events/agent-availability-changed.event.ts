import type { Actor } from '../../common/index.js';
import type { Availability } from '../entities/account-user.entity.js';

export class AgentAvailabilityChangedEvent {
  constructor(
    readonly accountId: number,
    readonly userId: number,
    readonly availability: Availability,
    readonly previous: Availability,
    readonly actor: Actor,
  ) {}
}
