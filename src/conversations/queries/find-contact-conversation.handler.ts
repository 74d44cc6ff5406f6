import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { toContactInboxRef } from '../../contacts/index.js';
import { contactConversationsBySource } from '../conversation.read-model.js';
import type {
  ContactConversationLookup,
  ContactConversationRow,
} from '../conversation.read-model.js';
import { toConversationRef } from '../dto/conversation-ref.js';
import {
  ContactConversation,
  FindContactConversationQuery,
} from './find-contact-conversation.query.js';

/** The most look-ups one statement answers. */
const MAX_LOOKUPS = 64;

/**
 * Every Client API message starts with this look-up. The look-ups that arrive in one turn of
 * the event loop share one statement (under load, tens of requests do): no wait when there is
 * nothing to share with, and no cache, so each one reads what is committed when it runs.
 */
@QueryHandler(FindContactConversationQuery)
export class FindContactConversationHandler implements IQueryHandler<FindContactConversationQuery> {
  private readonly lookups: DataLoader<
    ContactConversationLookup,
    ContactConversationRow | undefined
  >;

  constructor(private readonly dataSource: DataSource) {
    this.lookups = new DataLoader((batch) => this.lookUp(batch), {
      cache: false,
      maxBatchSize: MAX_LOOKUPS,
      // After the I/O callbacks of this turn: the requests read in it join the batch.
      batchScheduleFn: (run) => setImmediate(run),
    });
  }

  async execute({
    lookup,
  }: FindContactConversationQuery): Promise<ContactConversation | undefined> {
    const row = await this.lookups.load(lookup);
    if (!row) return undefined;
    const { link, contact, ...conversation } = row;
    return {
      contactInbox: toContactInboxRef({ link, contact }),
      conversation: conversation.id === null ? undefined : toConversationRef(conversation),
    };
  }

  /**
   * One statement for the batch. If it fails, each look-up runs alone, so that one request's
   * bad value (a source_id PostgreSQL cannot store, say) fails only that request.
   */
  private async lookUp(
    batch: readonly ContactConversationLookup[],
  ): Promise<(ContactConversationRow | undefined | Error)[]> {
    try {
      return await contactConversationsBySource(this.dataSource, batch);
    } catch (error) {
      if (batch.length === 1) return [error as Error];
      return Promise.all(
        batch.map((lookup) =>
          contactConversationsBySource(this.dataSource, [lookup]).then(
            ([row]) => row,
            (alone: unknown) => alone as Error,
          ),
        ),
      );
    }
  }
}
