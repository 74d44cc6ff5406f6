import { AttachmentDto } from '../../attachments/index.js';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { OmitType, getSchemaPath } from '@nestjs/swagger';
import { CONVERSATION_STATUSES, PRIORITIES } from '../entities/conversation.entity.js';
import { CONTENT_TYPES, MESSAGE_STATUSES, MESSAGE_TYPES } from '../entities/message.entity.js';

/*
 * The documented shapes of the read models in conversation.read-model.ts (the answers are built
 * there; these classes only describe them for the OpenAPI document).
 */

/** The contact of a conversation (meta.sender), as conversation.read-model.ts builds it. */
@ApiSchema({ name: 'ConversationContact' })
export class ConversationContactDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone_number: string | null;
  @ApiProperty({ nullable: true, type: String }) identifier: string | null;
  @ApiProperty({ description: 'avatar_url, or empty' }) thumbnail: string;
  @ApiProperty() blocked: boolean;
  @ApiProperty({ enum: ['offline'] }) availability_status: string;
  @ApiProperty({ type: Object }) custom_attributes: Record<string, unknown>;
  @ApiProperty({ type: Object }) additional_attributes: Record<string, unknown>;
  @ApiProperty({ description: 'Unix seconds; 0 when never' }) last_activity_at: number;
  @ApiProperty({ description: 'Unix seconds' }) created_at: number;
  @ApiProperty({ enum: ['contact'] }) type: 'contact';
}

/** The contact of a Client API conversation: Chatwoot's contact model, with ISO 8601 times. */
@ApiSchema({ name: 'PublicConversationContact' })
export class PublicConversationContactDto extends OmitType(ConversationContactDto, [
  'last_activity_at',
  'created_at',
] as const) {
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  last_activity_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) created_at: string | null;
}

/** The assigned agent of a conversation (meta.assignee). */
@ApiSchema({ name: 'ConversationAssignee' })
export class ConversationAssigneeDto {
  @ApiProperty() id: number;
  @ApiProperty() account_id: number;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'display_name when set, else name' }) available_name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['agent', 'administrator'] }) role: string;
  @ApiProperty({ enum: ['online', 'busy', 'offline'] }) availability_status: string;
  @ApiProperty() auto_offline: boolean;
  @ApiProperty() confirmed: boolean;
  @ApiProperty() thumbnail: string;
  @ApiProperty({ enum: ['user'] }) type: 'user';
}

@ApiSchema({ name: 'ConversationTeam' })
export class ConversationTeamDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() allow_auto_assign: boolean;
  @ApiProperty() account_id: number;
}

@ApiSchema({ name: 'ConversationMeta' })
export class ConversationMetaDto {
  @ApiProperty({ type: ConversationContactDto }) sender: ConversationContactDto;
  @ApiProperty({ enum: ['Channel::Api'] }) channel: string;
  @ApiPropertyOptional({ type: ConversationAssigneeDto, description: 'When assigned' })
  assignee?: ConversationAssigneeDto;
  @ApiPropertyOptional({ type: ConversationTeamDto, description: 'When assigned to a team' })
  team?: ConversationTeamDto;
  @ApiProperty({ description: 'Whether the contact was identified with identifier_hash' })
  hmac_verified: boolean;
}

/** A contact as the sender of a message. */
@ApiSchema({ name: 'ContactSender' })
export class ContactSenderDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone_number: string | null;
  @ApiProperty({ nullable: true, type: String }) identifier: string | null;
  @ApiProperty() thumbnail: string;
  @ApiProperty() blocked: boolean;
  @ApiProperty({ type: Object }) custom_attributes: Record<string, unknown>;
  @ApiProperty({ type: Object }) additional_attributes: Record<string, unknown>;
  @ApiProperty({ enum: ['contact'] }) type: 'contact';
}

/** An agent as the sender of a message. */
@ApiSchema({ name: 'AgentSender' })
export class AgentSenderDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() available_name: string;
  @ApiProperty() avatar_url: string;
  @ApiProperty() thumbnail: string;
  @ApiProperty({ enum: ['online', 'busy', 'offline'] }) availability_status: string;
  @ApiProperty({ enum: ['user'] }) type: 'user';
}

/** An agent bot as the sender of a message (GET /agent_bots/{id} has the rest). */
@ApiSchema({ name: 'AgentBotSender' })
export class AgentBotSenderDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['agent_bot'] }) type: 'agent_bot';
}

/**
 * A contact reduced to what identifies it: how the Client API shows the contact to a caller
 * linked by an unverified email or phone match.
 */
@ApiSchema({ name: 'ContactIdOnly' })
export class ContactIdOnlyDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['contact'] }) type: 'contact';
}

const SENDER = {
  anyOf: [
    { $ref: getSchemaPath(ContactSenderDto) },
    { $ref: getSchemaPath(AgentSenderDto) },
    { $ref: getSchemaPath(AgentBotSenderDto) },
    { $ref: getSchemaPath(ContactIdOnlyDto) },
  ],
};

/** A message on the Application and Client APIs (Chatwoot's REST shape). */
@ApiSchema({ name: 'Message' })
@ApiExtraModels(ContactSenderDto, AgentSenderDto, AgentBotSenderDto, ContactIdOnlyDto)
export class MessageDto {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: String }) content: string | null;
  @ApiProperty() inbox_id: number;
  @ApiProperty({ description: 'The conversation display id' }) conversation_id: number;
  @ApiProperty({
    enum: MESSAGE_TYPES.map((_, index) => index),
    description: `Index into ${MESSAGE_TYPES.join(', ')}`,
  })
  message_type: number;
  @ApiProperty({ enum: CONTENT_TYPES }) content_type: string;
  @ApiProperty({ enum: MESSAGE_STATUSES }) status: string;
  @ApiProperty({ type: Object }) content_attributes: Record<string, unknown>;
  @ApiProperty({ type: Object }) additional_attributes: Record<string, unknown>;
  @ApiProperty({ description: 'Unix seconds' }) created_at: number;
  @ApiProperty() private: boolean;
  @ApiProperty({ nullable: true, type: String }) source_id: string | null;
  @ApiPropertyOptional({ description: 'The echo_id the sender gave' }) echo_id?: string;
  @ApiPropertyOptional({ ...SENDER, description: 'Absent for activity messages' })
  sender?: ContactSenderDto | AgentSenderDto | AgentBotSenderDto;
  @ApiProperty({ type: [AttachmentDto] }) attachments: AttachmentDto[];
}

/** What a conversation answer and a conversation event share. */
export class ConversationCoreDto {
  @ApiProperty({ type: ConversationMetaDto }) meta: ConversationMetaDto;
  @ApiProperty({ description: 'The per-account display id, used in paths' }) id: number;
  @ApiProperty() account_id: number;
  @ApiProperty() uuid: string;
  @ApiProperty() inbox_id: number;
  @ApiProperty({ enum: CONVERSATION_STATUSES }) status: string;
  @ApiProperty({ enum: PRIORITIES, nullable: true, type: String }) priority: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  snoozed_until: string | null;
  @ApiProperty({ type: [String] }) labels: string[];
  @ApiProperty({ type: Object }) custom_attributes: Record<string, unknown>;
  @ApiProperty({ type: Object }) additional_attributes: Record<string, unknown>;
  @ApiProperty() muted: boolean;
  @ApiProperty({
    description:
      "As in Chatwoot: false when the inbox's channel.additional_attributes.agent_reply_time_window (hours) has passed since the contact's last message; true without a window",
  })
  can_reply: boolean;
  @ApiProperty({ nullable: true, type: Number }) assignee_id: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The agent bot the conversation is assigned to (assignee_type AgentBot)',
  })
  assignee_agent_bot_id: number | null;
  @ApiProperty({ nullable: true, type: Number }) team_id: number | null;
  @ApiProperty({ description: 'Unix seconds; 0 when never' }) agent_last_seen_at: number;
  @ApiProperty({ description: 'Unix seconds; 0 when never' }) assignee_last_seen_at: number;
  @ApiProperty({ description: 'Unix seconds; 0 when never' }) contact_last_seen_at: number;
  @ApiProperty({ description: 'Unix seconds; 0 when never' }) first_reply_created_at: number;
  @ApiProperty({ description: 'Unix seconds; 0 when not waiting' }) waiting_since: number;
  @ApiProperty({ description: 'Incoming messages since the agents last looked (at most 10)' })
  unread_count: number;
  @ApiProperty({ description: 'Unix seconds' }) last_activity_at: number;
  @ApiProperty({ description: 'Same as last_activity_at' }) timestamp: number;
  @ApiProperty({ description: 'Unix seconds' }) created_at: number;
  @ApiProperty({ description: 'Unix seconds, with fractions' }) updated_at: number;
}

/** A conversation on the Application API (Chatwoot's conversation partial). */
@ApiSchema({ name: 'Conversation' })
export class ConversationDto extends ConversationCoreDto {
  @ApiProperty({ type: [MessageDto], description: 'The newest message only, if any' })
  messages: MessageDto[];
  @ApiProperty({ type: MessageDto, nullable: true })
  last_non_activity_message: MessageDto | null;
}

@ApiSchema({ name: 'ConversationCounts' })
export class ConversationCountsDto {
  @ApiProperty() mine_count: number;
  @ApiProperty() assigned_count: number;
  @ApiProperty() unassigned_count: number;
  @ApiProperty() all_count: number;
}

@ApiSchema({ name: 'ConversationPage' })
export class ConversationPageDto {
  @ApiProperty({ type: ConversationCountsDto }) meta: ConversationCountsDto;
  @ApiProperty({ type: [ConversationDto] }) payload: ConversationDto[];
}

@ApiSchema({ name: 'ConversationList' })
export class ConversationListDto {
  @ApiProperty({ type: ConversationPageDto }) data: ConversationPageDto;
}

@ApiSchema({ name: 'ConversationCountsAnswer' })
export class ConversationCountsAnswerDto {
  @ApiProperty({ type: ConversationCountsDto }) meta: ConversationCountsDto;
}

@ApiSchema({ name: 'ConversationsPayload' })
export class ConversationsPayloadDto {
  @ApiProperty({ type: [ConversationDto] }) payload: ConversationDto[];
}

@ApiSchema({ name: 'ToggledStatus' })
class ToggledStatusDto {
  @ApiProperty({ enum: [true] }) success: boolean;
  @ApiProperty({ description: 'The display id' }) conversation_id: number;
  @ApiProperty({ enum: CONVERSATION_STATUSES }) current_status: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'ISO 8601, as Chatwoot answers it',
  })
  snoozed_until: string | null;
}

@ApiSchema({ name: 'ToggleStatusAnswer' })
export class ToggleStatusAnswerDto {
  @ApiProperty({ type: 'object', additionalProperties: false, maxProperties: 0 })
  meta: Record<string, never>;
  @ApiProperty({ type: ToggledStatusDto }) payload: ToggledStatusDto;
}

@ApiSchema({ name: 'CustomAttributesAnswer' })
export class CustomAttributesAnswerDto {
  @ApiProperty({ type: Object }) custom_attributes: Record<string, unknown>;
}

@ApiSchema({ name: 'LabelsAnswer' })
export class LabelsAnswerDto {
  @ApiProperty({ type: [String], example: ['billing', 'vip'] }) payload: string[];
}

@ApiSchema({ name: 'MessagesMeta' })
class MessagesMetaDto {
  @ApiProperty({ type: [String] }) labels: string[];
  @ApiProperty({ type: Object }) additional_attributes: Record<string, unknown>;
  @ApiProperty({ type: ConversationContactDto }) contact: ConversationContactDto;
  @ApiPropertyOptional({ type: ConversationAssigneeDto }) assignee?: ConversationAssigneeDto;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  agent_last_seen_at: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  assignee_last_seen_at: string | null;
}

@ApiSchema({ name: 'MessagesAnswer' })
export class MessagesAnswerDto {
  @ApiProperty({ type: MessagesMetaDto }) meta: MessagesMetaDto;
  @ApiProperty({ type: [MessageDto], description: 'Oldest first' }) payload: MessageDto[];
}

/** A conversation on the public Client API. */
@ApiSchema({ name: 'PublicConversation' })
@ApiExtraModels(PublicConversationContactDto, ContactIdOnlyDto)
export class PublicConversationDto {
  @ApiProperty({ description: 'The display id, used in paths' }) id: number;
  @ApiProperty() uuid: string;
  @ApiProperty() inbox_id: number;
  @ApiProperty({ enum: CONVERSATION_STATUSES }) status: string;
  @ApiProperty({ description: 'Unix seconds; 0 when never' }) contact_last_seen_at: number;
  @ApiProperty({ description: 'Unix seconds; 0 when never' }) agent_last_seen_at: number;
  @ApiProperty({
    type: [MessageDto],
    description: 'The newest 20 messages the contact can see, oldest first',
  })
  messages: MessageDto[];
  @ApiProperty({
    anyOf: [
      { $ref: getSchemaPath(PublicConversationContactDto) },
      { $ref: getSchemaPath(ContactIdOnlyDto) },
    ],
    description: 'Only id and type for a caller linked by an unverified email or phone match',
  })
  contact: PublicConversationContactDto | ContactIdOnlyDto;
  @ApiProperty({ type: Object }) custom_attributes: Record<string, unknown>;
  @ApiProperty({ description: 'Unix seconds' }) created_at: number;
}

/** A message as events carry it: type names instead of codes, an ISO timestamp. */
@ApiExtraModels(ContactSenderDto, AgentSenderDto, AgentBotSenderDto, ContactIdOnlyDto)
export class MessageEventFieldsDto {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: String }) content: string | null;
  @ApiProperty({ enum: CONTENT_TYPES }) content_type: string;
  @ApiProperty({ type: Object }) content_attributes: Record<string, unknown>;
  @ApiProperty({ type: Object }) additional_attributes: Record<string, unknown>;
  @ApiProperty({ enum: MESSAGE_TYPES }) message_type: string;
  @ApiProperty() private: boolean;
  @ApiProperty({ enum: MESSAGE_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) source_id: string | null;
  @ApiPropertyOptional({ description: 'The echo_id the sender gave' }) echo_id?: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ ...SENDER, nullable: true, description: 'null for activity messages' })
  sender: ContactSenderDto | AgentSenderDto | AgentBotSenderDto | null;
  @ApiPropertyOptional({
    type: [AttachmentDto],
    description: 'When the message has files (URLs signed at each delivery)',
  })
  attachments?: AttachmentDto[];
}

/** The agent bot a conversation was assigned to (Chatwoot's agent_bot_slim). */
@ApiSchema({ name: 'AssignedAgentBot' })
export class AssignedAgentBotDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: String }) thumbnail: string | null;
  @ApiProperty({ nullable: true, type: String }) outgoing_url: string | null;
  @ApiProperty({ example: 'webhook' }) bot_type: string;
  @ApiProperty({ enum: ['AgentBot'] }) assignee_type: 'AgentBot';
}
