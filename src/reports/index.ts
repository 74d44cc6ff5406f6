// The reports module's public surface: the module, the projector (rebuild) and the names a
// bot hand-off module records for the projection to see.
export { ReportProjectionModule, ReportsModule } from './reports.module.js';
export { ReportProjector } from './report-projector.service.js';
export { BOT_HANDOFF_EVENT, REPORTING_EVENT_NAMES } from './projection.js';
export type { ReportingEventName } from './projection.js';
