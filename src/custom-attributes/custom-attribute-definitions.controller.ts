import { Body, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AccountScopedController, AdministratorsOnly, CurrentAccount } from '../accounts/index.js';
import { ApiEmptyResponse, ApiProblems, BodyWrapper, ParseIdPipe } from '../common/index.js';
import { DeleteDefinitionCommand, SaveDefinitionCommand } from './commands/definition.commands.js';
import {
  CreateCustomAttributeDefinitionRequest,
  ListCustomAttributeDefinitionsParams,
  UpdateCustomAttributeDefinitionRequest,
} from './dto/definition.requests.js';
import { CustomAttributeDefinitionResponse } from './dto/definition.responses.js';
import { GetDefinitionQuery, ListDefinitionsQuery } from './queries/definition.queries.js';

type Account = { id: number };

const VALUES_CHECKED =
  'The fields may also come nested under custom_attribute_definition, as Chatwoot reads them. ' +
  'Values written under a defined key (contacts: custom_attributes on create and update, also on the Client API; conversations: create, PATCH and POST .../custom_attributes) must fit its type, else 422 naming the key; keys without a definition stay free-form.';

@AccountScopedController('custom_attribute_definitions', 'Custom attribute definitions')
export class CustomAttributeDefinitionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The account's custom attribute definitions (`attribute_model` narrows)",
  })
  @ApiOkResponse({ type: [CustomAttributeDefinitionResponse] })
  @ApiProblems(422)
  list(
    @CurrentAccount() account: Account,
    @Query() query: ListCustomAttributeDefinitionsParams,
  ): Promise<CustomAttributeDefinitionResponse[]> {
    return this.queries.execute(new ListDefinitionsQuery(account.id, query.attribute_model));
  }

  @Post()
  @AdministratorsOnly()
  @BodyWrapper('custom_attribute_definition')
  @ApiOperation({
    summary: 'Define a custom attribute (administrators only)',
    description: VALUES_CHECKED,
  })
  @ApiCreatedResponse({ type: CustomAttributeDefinitionResponse })
  @ApiProblems(403, 409, 422)
  @ApiBody({
    type: CreateCustomAttributeDefinitionRequest,
    examples: {
      list: {
        summary: 'A contact list attribute',
        value: {
          attribute_display_name: 'Plan',
          attribute_key: 'plan',
          attribute_display_type: 'list',
          attribute_model: 'contact_attribute',
          attribute_values: ['free', 'pro', 'enterprise'],
        },
      },
      chatwoot: {
        summary: "Chatwoot's numbers: a conversation number attribute",
        value: {
          attribute_display_name: 'Order total',
          attribute_key: 'order_total',
          attribute_display_type: 1,
          attribute_model: 0,
          attribute_description: 'Total of the order the conversation is about',
        },
      },
      pattern: {
        summary: 'A text attribute with a pattern',
        value: {
          attribute_display_name: 'Order id',
          attribute_key: 'order_id',
          attribute_display_type: 'text',
          regex_pattern: '^[A-Z]{2}-\\d+$',
          regex_cue: 'Two capital letters, a dash and digits, like AB-1042',
        },
      },
    },
  })
  async create(
    @CurrentAccount() account: Account,
    @Body() body: CreateCustomAttributeDefinitionRequest,
  ): Promise<CustomAttributeDefinitionResponse> {
    const { id } = await this.commands.execute(new SaveDefinitionCommand(account.id, null, body));
    return this.queries.execute(new GetDefinitionQuery(account.id, id));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One custom attribute definition' })
  @ApiOkResponse({ type: CustomAttributeDefinitionResponse })
  @ApiProblems(400)
  show(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<CustomAttributeDefinitionResponse> {
    return this.queries.execute(new GetDefinitionQuery(account.id, id));
  }

  @Patch(':id')
  @AdministratorsOnly()
  @BodyWrapper('custom_attribute_definition')
  @ApiOperation({
    summary: 'Update a custom attribute definition (administrators only)',
    description:
      'Values already stored are not re-checked; the new rules apply to later writes. Filters read stored values that do not fit the type as absent.',
  })
  @ApiOkResponse({ type: CustomAttributeDefinitionResponse })
  @ApiProblems(400, 403, 409, 422)
  @ApiBody({
    type: UpdateCustomAttributeDefinitionRequest,
    examples: {
      options: {
        summary: 'Another list option',
        value: { attribute_values: ['free', 'pro', 'enterprise', 'partner'] },
      },
    },
  })
  async update(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateCustomAttributeDefinitionRequest,
  ): Promise<CustomAttributeDefinitionResponse> {
    await this.commands.execute(new SaveDefinitionCommand(account.id, id, body));
    return this.queries.execute(new GetDefinitionQuery(account.id, id));
  }

  @Delete(':id')
  @AdministratorsOnly()
  @ApiOperation({
    summary: 'Delete a custom attribute definition (administrators only)',
    description:
      'As in Chatwoot, values stored under the key stay on contacts and conversations, free-form from then on.',
  })
  @ApiEmptyResponse('Deleted')
  @ApiProblems(400, 403)
  async remove(
    @CurrentAccount() account: Account,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new DeleteDefinitionCommand(account.id, id));
  }
}
