import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { InboxWebhook } from '../commands/set-inbox-webhook.command.js';
import { HMAC_SCOPES, SENDER_NAME_TYPES } from '../entities/inbox.entity.js';
import type { HmacScope, Inbox, SenderNameType, WorkingHours } from '../entities/inbox.entity.js';
import { WorkingHoursDay } from './inbox.requests.js';

class AutoAssignmentConfigResponse {
  @ApiPropertyOptional({
    description: "The assignment policy's capacity_in_inbox; absent when there is no limit",
  })
  max_assignment_limit?: number;
}

/** Chatwoot's inbox shape for an API channel; secrets only for administrators. */
export class InboxResponse {
  @ApiProperty() id: number;
  @ApiProperty() account_id: number;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Same as id (Chatwoot has a separate channel record)' })
  channel_id: number;
  @ApiProperty({ example: 'Channel::Api' }) channel_type: string;
  @ApiProperty({
    description: 'Routes Client API calls: /public/api/v1/inboxes/{inbox_identifier}',
  })
  inbox_identifier: string;
  @ApiProperty({ nullable: true, type: String }) webhook_url: string | null;
  @ApiProperty() hmac_mandatory: boolean;
  @ApiProperty({
    enum: HMAC_SCOPES,
    description:
      'With hmac_mandatory, which Client API routes need identifier_hash: contact_routes (as Chatwoot) or every_request',
  })
  hmac_scope: HmacScope;
  @ApiProperty({ type: Object }) additional_attributes: Record<string, unknown>;
  @ApiProperty() enable_auto_assignment: boolean;
  @ApiProperty() lock_to_single_conversation: boolean;
  @ApiProperty() allow_messages_after_resolved: boolean;
  @ApiProperty() greeting_enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) greeting_message: string | null;
  @ApiProperty() timezone: string;
  @ApiProperty({ type: AutoAssignmentConfigResponse }) auto_assignment_config: {
    max_assignment_limit?: number;
  };
  @ApiProperty() avatar_url: string;
  @ApiProperty() working_hours_enabled: boolean;
  @ApiProperty({ type: [WorkingHoursDay] }) working_hours: WorkingHours[];
  @ApiProperty() csat_survey_enabled: boolean;
  @ApiProperty({ type: Object }) csat_config: Record<string, unknown>;
  @ApiProperty() enable_email_collect: boolean;
  @ApiProperty({ nullable: true, type: String }) out_of_office_message: string | null;
  @ApiProperty({ nullable: true, type: Number }) portal_id: number | null;
  @ApiProperty({ enum: SENDER_NAME_TYPES }) sender_name_type: SenderNameType;
  @ApiProperty({ nullable: true, type: String }) business_name: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Always null (Chatwoot: other channel types)',
  })
  callback_webhook_url: null;
  @ApiProperty({ nullable: true, type: String, description: 'Web widget only: always null' })
  website_url: null;
  @ApiProperty({ nullable: true, type: String, description: 'Web widget only: always null' })
  widget_color: null;
  @ApiProperty({ nullable: true, type: String, description: 'Web widget only: always null' })
  welcome_title: null;
  @ApiProperty({ nullable: true, type: String, description: 'Web widget only: always null' })
  welcome_tagline: null;
  @ApiProperty({ nullable: true, type: String }) provider: string | null;
  @ApiPropertyOptional({ description: 'Key of the identity HMAC; administrators only' })
  hmac_token?: string;
  @ApiPropertyOptional({
    description: 'Signing secret of the inbox webhook (whsec_...); administrators only',
  })
  webhook_secret?: string;
}

/**
 * `webhook`: the inbox's own webhook, kept by the webhooks module; `assignmentLimit`: the
 * capacity of its assignment policy, kept by the automation module.
 */
export function toInboxResponse(
  inbox: Inbox,
  webhook: InboxWebhook,
  assignmentLimit: number | null | undefined,
  withSecrets: boolean,
): InboxResponse {
  return {
    id: inbox.id,
    account_id: inbox.account_id,
    name: inbox.name,
    channel_id: inbox.id,
    channel_type: 'Channel::Api',
    inbox_identifier: inbox.identifier,
    webhook_url: webhook.url,
    hmac_mandatory: inbox.hmac_mandatory,
    hmac_scope: inbox.hmac_scope,
    additional_attributes: inbox.additional_attributes,
    enable_auto_assignment: inbox.enable_auto_assignment,
    lock_to_single_conversation: inbox.lock_to_single_conversation,
    allow_messages_after_resolved: inbox.allow_messages_after_resolved,
    greeting_enabled: inbox.greeting_enabled,
    greeting_message: inbox.greeting_message,
    timezone: inbox.timezone,
    auto_assignment_config: assignmentLimit ? { max_assignment_limit: assignmentLimit } : {},
    avatar_url: '',
    working_hours_enabled: inbox.working_hours_enabled,
    working_hours: inbox.working_hours,
    csat_survey_enabled: inbox.csat_survey_enabled,
    csat_config: inbox.csat_config,
    enable_email_collect: inbox.enable_email_collect,
    out_of_office_message: inbox.out_of_office_message,
    portal_id: inbox.portal_id,
    sender_name_type: inbox.sender_name_type,
    business_name: inbox.business_name,
    callback_webhook_url: null,
    website_url: null,
    widget_color: null,
    welcome_title: null,
    welcome_tagline: null,
    provider: null,
    ...(withSecrets ? { hmac_token: inbox.hmac_token, webhook_secret: webhook.secret } : {}),
  };
}

/** The few facts other modules need about an inbox. */
export interface InboxRef {
  id: number;
  accountId: number;
  name: string;
  identifier: string;
  hmacMandatory: boolean;
  hmacScope: HmacScope;
  hmacToken: string;
  lockToSingleConversation: boolean;
  allowMessagesAfterResolved: boolean;
  enableAutoAssignment: boolean;
  timezone: string;
  greetingEnabled: boolean;
  greetingMessage: string | null;
  workingHoursEnabled: boolean;
  workingHours: WorkingHours[];
  csatSurveyEnabled: boolean;
  /** The agent bot attached to the inbox, or null. */
  agentBotId: number | null;
}

export function toInboxRef(inbox: Inbox): InboxRef {
  return {
    id: inbox.id,
    accountId: inbox.account_id,
    name: inbox.name,
    identifier: inbox.identifier,
    hmacMandatory: inbox.hmac_mandatory,
    hmacScope: inbox.hmac_scope,
    hmacToken: inbox.hmac_token,
    lockToSingleConversation: inbox.lock_to_single_conversation,
    allowMessagesAfterResolved: inbox.allow_messages_after_resolved,
    enableAutoAssignment: inbox.enable_auto_assignment,
    timezone: inbox.timezone,
    greetingEnabled: inbox.greeting_enabled,
    greetingMessage: inbox.greeting_message,
    workingHoursEnabled: inbox.working_hours_enabled,
    workingHours: inbox.working_hours,
    csatSurveyEnabled: inbox.csat_survey_enabled,
    agentBotId: inbox.agent_bot_id,
  };
}

export class InboxDeletedAnswer {
  @ApiProperty({
    example: 'The inbox was deleted; its conversations are being removed in the background.',
  })
  message: string;
}
