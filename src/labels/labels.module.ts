import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeleteLabelHandler } from './commands/delete-label.handler.js';
import { SaveLabelHandler } from './commands/save-label.handler.js';
import { Label } from './entities/label.entity.js';
import { LabelsController } from './labels.controller.js';
import { ListLabelsHandler } from './queries/list-labels.handler.js';

@Module({
  imports: [TypeOrmModule.forFeature([Label])],
  controllers: [LabelsController],
  providers: [SaveLabelHandler, DeleteLabelHandler, ListLabelsHandler],
})
export class LabelsModule {}
