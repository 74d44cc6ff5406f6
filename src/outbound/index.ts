// Outbound HTTP to receivers' systems, under the SSRF policy.
export { OutboundModule } from './outbound.module.js';
export { OutboundClient, OutboundError, RESPONSE_EXCERPT_BYTES } from './outbound-client.js';
export type { OutboundResponse } from './outbound-client.js';
export { OutboundPolicy, OutboundUrlNotAllowedError } from './outbound-policy.js';
