import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  DeleteCustomFilterHandler,
  SaveCustomFilterHandler,
} from './commands/custom-filter.handlers.js';
import { CustomFiltersController } from './custom-filters.controller.js';
import { CustomFilter } from './entities/custom-filter.entity.js';
import { ListCustomFiltersHandler } from './queries/list-custom-filters.handler.js';

@Module({
  imports: [TypeOrmModule.forFeature([CustomFilter])],
  controllers: [CustomFiltersController],
  providers: [SaveCustomFilterHandler, DeleteCustomFilterHandler, ListCustomFiltersHandler],
})
export class CustomFiltersModule {}
