export { VipRoutingModule } from './vip-routing.module.js';
