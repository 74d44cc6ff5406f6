import { Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import { AccountScopedController, AdministratorsOnly, CurrentAccount } from '../accounts/index.js';
import { ApiProblems } from '../common/index.js';
import { EventFeedAnswer } from './dto/webhook-events.js';
import { EventsParams } from './dto/webhook.requests.js';
import { ReadEventsQuery } from './queries/webhook.queries.js';

@AdministratorsOnly()
@AccountScopedController('events', 'Webhooks')
export class EventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'The event feed',
    description:
      'Committed events oldest first, with the same event_id, sequence and body as the webhooks, for polling or filling a gap. Pass meta.next_cursor as `after` to continue; an event never appears behind a cursor already handed out. Kept EVENT_RETENTION_DAYS (30).',
  })
  @ApiOkResponse({ type: EventFeedAnswer })
  @ApiQuery({
    name: 'after',
    required: false,
    examples: {
      resume: {
        summary: 'Continue: the meta.next_cursor of the previous page',
        value: 'YzE6MTIzNDU',
      },
    },
  })
  @ApiProblems(403, 422)
  list(@CurrentAccount() account: { id: number }, @Query() query: EventsParams) {
    return this.queries.execute(
      new ReadEventsQuery(account.id, {
        after: query.after,
        inboxId: query.inbox_id,
        conversationId: query.conversation_id,
        limit: query.limit ?? 100,
      }),
    );
  }
}
