// The custom filters module's public surface: users' saved filters.
export { CustomFiltersModule } from './custom-filters.module.js';
export { CustomFilterResponse } from './dto/custom-filter.dto.js';
export { ListCustomFiltersQuery } from './queries/list-custom-filters.query.js';
