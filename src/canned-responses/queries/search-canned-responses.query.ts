import { Query } from '@nestjs/cqrs';
import type { CannedResponseResponse } from '../dto/canned-response.dto.js';

/**
 * An account's canned responses. With `search`: those whose short code or content contains it
 * (ignoring case), ranked as Chatwoot ranks them (short code starts with it, then contains it,
 * then content contains it), at most `limit`. Without: all, oldest first. With `id`: that one
 * (404 when there is none).
 */
export class SearchCannedResponsesQuery extends Query<CannedResponseResponse[]> {
  constructor(
    readonly accountId: number,
    readonly options: { search?: string; id?: number; limit?: number } = {},
  ) {
    super();
  }
}
