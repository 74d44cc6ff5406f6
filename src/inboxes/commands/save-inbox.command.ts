import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { HmacScope, SenderNameType, WorkingHours } from '../entities/inbox.entity.js';

export interface InboxFields {
  name?: string;
  webhookUrl?: string | null;
  hmacMandatory?: boolean;
  hmacScope?: HmacScope;
  additionalAttributes?: Record<string, unknown>;
  enableAutoAssignment?: boolean;
  lockToSingleConversation?: boolean;
  allowMessagesAfterResolved?: boolean;
  greetingEnabled?: boolean;
  greetingMessage?: string;
  timezone?: string;
  enableEmailCollect?: boolean;
  csatSurveyEnabled?: boolean;
  csatConfig?: Record<string, unknown>;
  workingHoursEnabled?: boolean;
  workingHours?: WorkingHours[];
  outOfOfficeMessage?: string | null;
  portalId?: number | null;
  senderNameType?: SenderNameType;
  businessName?: string | null;
  /** Chatwoot's auto_assignment_config.max_assignment_limit (null: no limit; undefined: keep). */
  maxAssignmentLimit?: number | null;
}

/** Creates an API inbox (inboxId null) or updates one; records inbox_created / inbox_updated. */
export class SaveInboxCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly inboxId: number | null,
    readonly fields: InboxFields,
    readonly actor: Actor,
  ) {
    super();
  }
}
