import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { IsNull } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import { toInboxResponse } from '../dto/inbox.response.js';
import { Inbox } from '../entities/inbox.entity.js';
import { InboxCreatedEvent } from '../events/inbox-created.event.js';
import { InboxUpdatedEvent } from '../events/inbox-updated.event.js';
import { InboxNotFoundError } from '../inboxes.errors.js';
import { INBOXES_TOPIC } from '../queries/find-inbox.handler.js';
import { SaveInboxCommand } from './save-inbox.command.js';
import { SetInboxAssignmentLimitCommand } from './set-inbox-assignment-limit.command.js';
import { SetInboxWebhookCommand } from './set-inbox-webhook.command.js';

function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

@CommandHandler(SaveInboxCommand)
export class SaveInboxHandler implements ICommandHandler<SaveInboxCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly commands: CommandBus,
  ) {}

  async execute({ accountId, inboxId, fields, actor }: SaveInboxCommand): Promise<{ id: number }> {
    const values: Partial<Inbox> = {};
    if (fields.name !== undefined) values.name = fields.name;
    if (fields.hmacMandatory !== undefined) values.hmac_mandatory = fields.hmacMandatory;
    if (fields.hmacScope !== undefined) values.hmac_scope = fields.hmacScope;
    if (fields.additionalAttributes !== undefined)
      values.additional_attributes = fields.additionalAttributes;
    if (fields.enableAutoAssignment !== undefined)
      values.enable_auto_assignment = fields.enableAutoAssignment;
    if (fields.lockToSingleConversation !== undefined)
      values.lock_to_single_conversation = fields.lockToSingleConversation;
    if (fields.allowMessagesAfterResolved !== undefined) {
      values.allow_messages_after_resolved = fields.allowMessagesAfterResolved;
    }
    if (fields.greetingEnabled !== undefined) values.greeting_enabled = fields.greetingEnabled;
    if (fields.greetingMessage !== undefined) values.greeting_message = fields.greetingMessage;
    if (fields.timezone !== undefined) values.timezone = fields.timezone;
    if (fields.enableEmailCollect !== undefined)
      values.enable_email_collect = fields.enableEmailCollect;
    if (fields.csatSurveyEnabled !== undefined)
      values.csat_survey_enabled = fields.csatSurveyEnabled;
    if (fields.csatConfig !== undefined) values.csat_config = fields.csatConfig ?? {};
    if (fields.workingHoursEnabled !== undefined)
      values.working_hours_enabled = fields.workingHoursEnabled;
    if (fields.workingHours !== undefined) values.working_hours = fields.workingHours ?? [];
    if (fields.outOfOfficeMessage !== undefined)
      values.out_of_office_message = fields.outOfOfficeMessage;
    if (fields.portalId !== undefined) values.portal_id = fields.portalId;
    if (fields.senderNameType !== undefined) values.sender_name_type = fields.senderNameType;
    if (fields.businessName !== undefined) values.business_name = fields.businessName;

    return this.uow.run(async (tx) => {
      const { manager, record, announce } = tx;
      const inboxes = manager.getRepository(Inbox);
      let inbox: Inbox | null;
      if (inboxId === null) {
        inbox = await inboxes.save({
          ...values,
          account_id: accountId,
          channel_type: 'api',
          identifier: secret(18),
          hmac_token: secret(24),
        });
      } else {
        inbox = await inboxes.findOne({
          where: { id: inboxId, account_id: accountId, deleted_at: IsNull() },
          lock: { mode: 'pessimistic_write' },
        });
        if (!inbox) throw new InboxNotFoundError(inboxId);
        Object.assign(inbox, values);
        await inboxes.save(inbox);
      }
      // The webhooks module checks the URL (422 webhook_url_not_allowed) and mints the secret.
      const webhook = await this.commands.execute(
        new SetInboxWebhookCommand(tx, accountId, inbox.id, fields.webhookUrl),
      );
      // The automation module keeps the capacity, in its assignment policy.
      const limit = await this.commands.execute(
        new SetInboxAssignmentLimitCommand(tx, accountId, inbox.id, fields.maxAssignmentLimit),
      );
      await announce(INBOXES_TOPIC);
      const Event = inboxId === null ? InboxCreatedEvent : InboxUpdatedEvent;
      record(new Event(toInboxResponse(inbox, webhook, limit, false), actor));
      return { id: inbox.id };
    });
  }
}
