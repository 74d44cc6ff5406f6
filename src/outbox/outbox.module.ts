import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainEventRow } from './entities/domain-event.entity.js';
import { UnitOfWork } from './unit-of-work.js';

/** The event outbox and the unit of work every command handler writes through. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([DomainEventRow])],
  providers: [UnitOfWork],
  exports: [UnitOfWork],
})
export class OutboxModule {}
