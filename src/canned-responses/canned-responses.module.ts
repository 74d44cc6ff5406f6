import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CannedResponsesController } from './canned-responses.controller.js';
import {
  DeleteCannedResponseHandler,
  SaveCannedResponseHandler,
} from './commands/canned-response.handlers.js';
import { CannedResponse } from './entities/canned-response.entity.js';
import { SearchCannedResponsesHandler } from './queries/search-canned-responses.handler.js';

@Module({
  imports: [TypeOrmModule.forFeature([CannedResponse])],
  controllers: [CannedResponsesController],
  providers: [SaveCannedResponseHandler, DeleteCannedResponseHandler, SearchCannedResponsesHandler],
})
export class CannedResponsesModule {}
