import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReportConversation } from './entities/report-conversation.entity.js';
import { ReportInbox } from './entities/report-inbox.entity.js';
import { ReportOpenCount } from './entities/report-open-count.entity.js';
import { ReportProjectionRow } from './entities/report-projection.entity.js';
import { ReportRollup, ReportRollupDaily } from './entities/report-rollup.entity.js';
import { ReportingEventRow } from './entities/reporting-event.entity.js';
import { LiveReportProjection, ReportProjector } from './report-projector.service.js';
import { ReportingEventsController } from './reporting-events.controller.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';
import { SummaryReportsController } from './summary-reports.controller.js';

/** Reports: the projection of the outbox into reporting events and rollups, and its API. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      ReportProjectionRow,
      ReportInbox,
      ReportConversation,
      ReportOpenCount,
      ReportingEventRow,
      ReportRollup,
      ReportRollupDaily,
    ]),
  ],
  controllers: [ReportsController, SummaryReportsController, ReportingEventsController],
  providers: [ReportProjector, LiveReportProjection, ReportsService],
  exports: [ReportProjector],
})
export class ReportsModule {}

/** The projection alone, for the CLI's rebuild (no HTTP, no timers needed beyond the run). */
@Module({
  imports: [TypeOrmModule.forFeature([ReportProjectionRow])],
  providers: [ReportProjector],
  exports: [ReportProjector],
})
export class ReportProjectionModule {}
