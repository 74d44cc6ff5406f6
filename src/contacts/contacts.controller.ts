import { Body, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiQuery,
} from '@nestjs/swagger';
import {
  AccountScopedController,
  actorOf,
  CurrentAccount,
  CurrentAuth,
} from '../accounts/index.js';
import type { AuthContext, Role } from '../accounts/index.js';
import { ApiProblems, FilterRequest, ParseIdPipe } from '../common/index.js';
import { FindInboxQuery, ListInboxesQuery } from '../inboxes/index.js';
import type { InboxResponse } from '../inboxes/index.js';
import { CreateContactInboxCommand } from './commands/create-contact-inbox.command.js';
import { SaveContactCommand } from './commands/save-contact.command.js';
import type { ContactValues } from './contact.store.js';
import {
  CreateContactInboxRequest,
  CreateContactRequest,
  ListContactsQueryParams,
  SearchContactsQueryParams,
  UpdateContactRequest,
} from './dto/contact.requests.js';
import {
  ContactableInboxesAnswer,
  ContactInboxResponse,
  ContactListResponse,
  CreatedContactAnswer,
  ContactResponse,
} from './dto/contact.responses.js';
import { GetContactQuery } from './queries/get-contact.query.js';
import { ListContactsQuery } from './queries/list-contacts.query.js';

type Account = { id: number; role: Role };

class ContactPayload {
  @ApiProperty({ type: ContactResponse }) payload: ContactResponse;
}

function valuesOf(body: CreateContactRequest | UpdateContactRequest): ContactValues {
  return {
    name: body.name,
    email: body.email,
    phone_number: body.phone_number,
    identifier: body.identifier,
    avatar_url: body.avatar_url,
    blocked: body.blocked,
    custom_attributes: body.custom_attributes,
    additional_attributes: body.additional_attributes,
  };
}

@AccountScopedController('contacts', 'Contacts')
export class ContactsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Contacts, 15 per page (`page`, `sort`, `labels[]`)' })
  @ApiOkResponse({ type: ContactListResponse })
  @ApiProblems(422)
  list(
    @CurrentAccount() account: Account,
    @Query() query: ListContactsQueryParams,
  ): Promise<ContactListResponse> {
    return this.queries.execute(
      new ListContactsQuery(account.id, {
        page: query.page ?? 1,
        sort: query.sort,
        labels: query.labels,
      }),
    );
  }

  @Get('search')
  @ApiOperation({ summary: 'Search contacts by name, email, phone number or identifier (`q`)' })
  @ApiOkResponse({ type: ContactListResponse })
  @ApiQuery({
    name: 'q',
    required: true,
    examples: {
      name: { summary: 'By part of a name', value: 'alice' },
      phone: { summary: 'By phone number', value: '+1415555' },
    },
  })
  @ApiProblems(422)
  search(
    @CurrentAccount() account: Account,
    @Query() query: SearchContactsQueryParams,
  ): Promise<ContactListResponse> {
    return this.queries.execute(
      new ListContactsQuery(account.id, {
        page: query.page ?? 1,
        sort: query.sort,
        q: query.q,
        labels: query.labels,
      }),
    );
  }

  @Post('filter')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Filter contacts by conditions (Chatwoot filter shape; `page` in the query)',
  })
  @ApiOkResponse({ type: ContactListResponse })
  @ApiProblems(422)
  @ApiBody({
    type: FilterRequest,
    examples: {
      email: {
        summary: 'By email domain',
        value: {
          payload: [
            { attribute_key: 'email', filter_operator: 'contains', values: ['@example.com'] },
          ],
        },
      },
    },
  })
  filter(
    @CurrentAccount() account: Account,
    @Query() query: ListContactsQueryParams,
    @Body() body: FilterRequest,
  ): Promise<ContactListResponse> {
    return this.queries.execute(
      new ListContactsQuery(account.id, {
        page: query.page ?? 1,
        sort: query.sort,
        filter: body.payload,
      }),
    );
  }

  @Post()
  @ApiOperation({
    summary: 'Create a contact',
    description:
      'A clash on identifier, email or phone number is 409 with the existing contact in `existing_id`.',
  })
  @ApiCreatedResponse({ type: CreatedContactAnswer })
  @ApiProblems(409, 422)
  @ApiBody({
    type: CreateContactRequest,
    examples: {
      plain: {
        summary: 'A contact',
        value: {
          name: 'Alice Doe',
          email: 'alice@example.com',
          phone_number: '+14155550100',
          identifier: 'cus_1042',
          custom_attributes: { plan: 'pro' },
        },
      },
      inInbox: {
        summary: 'Reachable in an inbox at once',
        value: { name: 'Bob Roe', inbox_id: 1, source_id: 'crm-contact-77' },
      },
    },
  })
  async create(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateContactRequest,
  ) {
    const inbox = body.inbox_id ? { inboxId: body.inbox_id, sourceId: body.source_id } : undefined;
    if (inbox) await this.assertInboxAccess(account, auth, inbox.inboxId);
    const { id } = await this.commands.execute(
      new SaveContactCommand(account.id, null, valuesOf(body), actorOf(auth), inbox),
    );
    const contact = await this.show(account, auth, id);
    const link = contact.payload.contact_inboxes?.find((item) => item.inbox.id === body.inbox_id);
    return {
      payload: {
        contact: contact.payload,
        contact_inbox: { inbox: link?.inbox ?? null, source_id: link?.source_id ?? null },
      },
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One contact, with its contact inboxes' })
  @ApiOkResponse({ type: ContactPayload })
  @ApiProblems(400)
  async show(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<{ payload: ContactResponse }> {
    const { contact, sourceIds } = await this.queries.execute(new GetContactQuery(account.id, id));
    const inboxes = await this.visibleInboxes(account, auth);
    contact.contact_inboxes = sourceIds.flatMap(({ inboxId, sourceId }) => {
      const inbox = inboxes.get(inboxId);
      return inbox ? [{ source_id: sourceId, inbox }] : [];
    });
    return { payload: contact };
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a contact (custom and additional attributes are merged)' })
  @ApiOkResponse({ type: ContactPayload })
  @ApiProblems(400, 409, 422)
  @ApiBody({
    type: UpdateContactRequest,
    examples: {
      plan: {
        summary: 'Merge a custom attribute',
        value: { custom_attributes: { plan: 'enterprise' } },
      },
    },
  })
  update(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateContactRequest,
  ) {
    return this.save(account, auth, id, body);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Same as PATCH (Chatwoot accepts both)' })
  @ApiOkResponse({ type: ContactPayload })
  @ApiProblems(400, 409, 422)
  @ApiBody({
    type: UpdateContactRequest,
    examples: { email: { summary: 'A new email', value: { email: 'alice@example.org' } } },
  })
  replace(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: UpdateContactRequest,
  ) {
    return this.save(account, auth, id, body);
  }

  @Post(':id/contact_inboxes')
  @ApiOperation({
    summary: 'Make the contact reachable in an inbox (source_id defaults to a new UUID)',
  })
  @ApiCreatedResponse({ type: ContactInboxResponse })
  @ApiProblems(400, 409, 422)
  @ApiBody({
    type: CreateContactInboxRequest,
    examples: {
      inbox: {
        summary: 'In inbox 1, with your id',
        value: { inbox_id: 1, source_id: 'crm-contact-1042' },
      },
    },
  })
  async createContactInbox(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
    @Body() body: CreateContactInboxRequest,
  ): Promise<ContactInboxResponse> {
    await this.assertInboxAccess(account, auth, body.inbox_id);
    const { sourceId } = await this.commands.execute(
      new CreateContactInboxCommand(account.id, id, body.inbox_id, body.source_id),
    );
    const [inbox] = await this.queries.execute(
      new ListInboxesQuery(account.id, { userId: auth.userId, role: account.role }, body.inbox_id),
    );
    return { source_id: sourceId, inbox };
  }

  @Get(':id/contactable_inboxes')
  @ApiOperation({
    summary:
      'Inboxes a conversation with the contact can be started in, with its source_id there (or null)',
  })
  @ApiOkResponse({ type: ContactableInboxesAnswer })
  @ApiProblems(400)
  async contactableInboxes(
    @CurrentAccount() account: Account,
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
  ) {
    const { sourceIds } = await this.queries.execute(new GetContactQuery(account.id, id));
    const inboxes = await this.visibleInboxes(account, auth);
    return {
      payload: [...inboxes.values()].map((inbox) => ({
        source_id: sourceIds.find((link) => link.inboxId === inbox.id)?.sourceId ?? null,
        inbox,
      })),
    };
  }

  private async save(account: Account, auth: AuthContext, id: number, body: UpdateContactRequest) {
    await this.commands.execute(
      new SaveContactCommand(account.id, id, valuesOf(body), actorOf(auth)),
    );
    return this.show(account, auth, id);
  }

  /** Agents may only make contacts reachable in inboxes they are members of (404 otherwise). */
  private async assertInboxAccess(
    account: Account,
    auth: AuthContext,
    inboxId: number,
  ): Promise<void> {
    await this.queries.execute(
      new FindInboxQuery({
        accountId: account.id,
        inboxId,
        viewer: { userId: auth.userId, role: account.role },
      }),
    );
  }

  private async visibleInboxes(
    account: Account,
    auth: AuthContext,
  ): Promise<Map<number, InboxResponse>> {
    const inboxes = await this.queries.execute(
      new ListInboxesQuery(account.id, { userId: auth.userId, role: account.role }),
    );
    return new Map(inboxes.map((inbox) => [inbox.id, inbox]));
  }
}
