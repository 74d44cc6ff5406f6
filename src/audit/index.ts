// The audit module's public surface: the module (its interceptor audits every route marked
// @AdministratorsOnly(); nothing to import elsewhere).
export { AuditModule } from './audit.module.js';
