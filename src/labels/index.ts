// The labels module's public surface: account labels (titles, colours).
export { LabelsModule } from './labels.module.js';
export { LabelResponse } from './dto/label.dto.js';
export { ListLabelsQuery } from './queries/list-labels.query.js';
