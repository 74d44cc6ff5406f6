/** Who caused a command or event; carried on every write so automation can tell loops apart. */
export type ActorType = 'user' | 'contact' | 'agent_bot' | 'automation_rule' | 'system';

export interface Actor {
  type: ActorType;
  id: number | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };
