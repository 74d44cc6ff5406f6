// The api-channel module: the public Client API. Nothing else is public.
export { ApiChannelModule } from './api-channel.module.js';
export { isValidIdentityHash } from './identity.js';
