import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DomainEventRow } from './entities/domain-event.entity.js';
import { EventPublisher } from './event-publisher.service.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([DomainEventRow])],
  providers: [EventPublisher],
  exports: [EventPublisher],
})
export class OutboxModule {}
