import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditLogsController } from './audit-logs.controller.js';
import { AuditRetention } from './audit-retention.service.js';
import { AuditLog } from './entities/audit-log.entity.js';

/** The audit log: administrators' writes, recorded by one interceptor for every route. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditLog])],
  controllers: [AuditLogsController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: AuditInterceptor }, AuditRetention],
})
export class AuditModule {}
