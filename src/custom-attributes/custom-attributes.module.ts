import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeleteDefinitionHandler, SaveDefinitionHandler } from './commands/definition.handlers.js';
import { CustomAttributeDefinitionsController } from './custom-attribute-definitions.controller.js';
import { CustomAttributeDefinition } from './entities/custom-attribute-definition.entity.js';
import {
  AttributeTypesHandler,
  GetDefinitionHandler,
  ListDefinitionsHandler,
} from './queries/definition.handlers.js';

@Module({
  imports: [TypeOrmModule.forFeature([CustomAttributeDefinition])],
  controllers: [CustomAttributeDefinitionsController],
  providers: [
    SaveDefinitionHandler,
    DeleteDefinitionHandler,
    ListDefinitionsHandler,
    GetDefinitionHandler,
    AttributeTypesHandler,
  ],
})
export class CustomAttributesModule {}
