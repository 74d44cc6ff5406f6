import { Command } from '@nestjs/cqrs';

export interface LabelFields {
  title?: string;
  description?: string | null;
  color?: string;
  showOnSidebar?: boolean;
}

/**
 * Creates a label (labelId null) or updates one. Titles are unique per account; a new title
 * renames the label on the account's conversations and contacts in the same transaction.
 */
export class SaveLabelCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly labelId: number | null,
    readonly fields: LabelFields,
  ) {
    super();
  }
}
