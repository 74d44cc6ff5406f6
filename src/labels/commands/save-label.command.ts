import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';

export interface LabelFields {
  title?: string;
  description?: string | null;
  color?: string;
  showOnSidebar?: boolean;
}

/**
 * Creates a label (labelId null) or updates one. Titles are unique per account; a new title
 * renames the label on the account's conversations (one conversation_updated each) and
 * contacts in the same transaction.
 */
export class SaveLabelCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly labelId: number | null,
    readonly fields: LabelFields,
    readonly actor: Actor,
  ) {
    super();
  }
}
