import type { DomainEvent } from '../../outbox/index.js';

/**
 * In-process only: an agent bot's delivery failed for good (its retries are used up, or its
 * endpoint answered 410). The agent bots module hands the conversation to people; should this
 * process crash first, the bot's reply timeout does it later.
 */
export class AgentBotDeliveryFailedEvent {
  constructor(
    readonly agentBotId: number,
    readonly event: DomainEvent,
    readonly error: string | null,
  ) {}
}
