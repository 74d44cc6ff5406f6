import { ConflictError, NotFoundError } from '../common/index.js';

export class LabelNotFoundError extends NotFoundError {
  constructor(labelId: number) {
    super('label_not_found', `No label with id ${labelId} in this account.`);
  }
}

export class LabelTitleTakenError extends ConflictError {
  constructor(title: string, existingId: number) {
    super(
      'label_title_taken',
      `The label "${title}" already exists in this account (id ${existingId}); titles are unique ignoring case. Update that label or choose another title.`,
      { existing_id: existingId },
    );
  }
}
