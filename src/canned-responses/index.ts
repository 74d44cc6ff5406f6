// The canned responses module's public surface.
export { CannedResponsesModule } from './canned-responses.module.js';
export { CannedResponseResponse } from './dto/canned-response.dto.js';
// Read an account's canned responses, ranked for a search text (e.g. a bot answering from them).
export { SearchCannedResponsesQuery } from './queries/search-canned-responses.query.js';
