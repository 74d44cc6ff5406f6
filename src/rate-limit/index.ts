export { RateLimitModule, trackerOf } from './rate-limit.module.js';
