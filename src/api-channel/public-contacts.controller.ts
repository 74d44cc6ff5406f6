import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../accounts/index.js';
import { ApiProblems } from '../common/index.js';
import type { Actor } from '../common/index.js';
import {
  ContactIdentifyRequest,
  FindContactInboxQuery,
  GetContactQuery,
  IdentifyContactCommand,
  PublicContactResponse,
  SaveContactCommand,
} from '../contacts/index.js';
import { IdentifierRequiredError, UnverifiedContactLinkError } from './api-channel.errors.js';
import { IdentityParams, PublicContactParams, PublicContactUpdate } from './dto/public.requests.js';
import {
  PublicContactUpdatedResponse,
  PublicInboxDto,
  toPublicContact,
  toPublicInbox,
  toUpdatedPublicContact,
} from './dto/public.responses.js';
import { PublicContext } from './public-context.service.js';
import type { ContactContext } from './public-context.service.js';
import { ContactParam } from './public-params.js';

export function contactActor(contactId: number): Actor {
  return { type: 'contact', id: contactId };
}

@ApiTags('Client API')
@ApiParam({
  name: 'inbox_identifier',
  description: "The inbox's identifier (inbox_identifier on the Application API)",
})
@Public()
@Controller('public/api/v1/inboxes/:inbox_identifier')
export class PublicContactsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly context: PublicContext,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The inbox: name and whether identity validation is on' })
  @ApiOkResponse({ type: PublicInboxDto })
  @ApiProblems(404)
  async inbox(@Param('inbox_identifier') identifier: string) {
    return toPublicInbox(await this.context.inbox(identifier));
  }

  @Post('contacts')
  @ApiOperation({
    summary: 'Create or identify a contact',
    description:
      'An existing source_id returns its contact; otherwise the contact with the same identifier, then email, then phone number; otherwise a new one. Keep the returned source_id for later calls. ' +
      "Without a valid identifier_hash (or with one for an identifier other than the contact's), a match by email or phone number changes nothing on the contact, and the answer (and every later answer for this source_id) shows only the ids, source_id and pubsub_token plus the fields sent in this request (others null); PATCH through that source_id is refused (403 contact_not_verified).",
  })
  @ApiCreatedResponse({ type: PublicContactResponse })
  @ApiBody({
    type: ContactIdentifyRequest,
    examples: {
      anonymous: { summary: 'An anonymous visitor (a new source_id is made)', value: {} },
      identified: {
        summary: 'A known customer, by your ids',
        value: {
          source_id: 'crm-contact-1042',
          identifier: 'cus_1042',
          name: 'Alice Doe',
          email: 'alice@example.com',
          custom_attributes: { plan: 'pro' },
        },
      },
    },
  })
  @ApiProblems(401, 404, 409, 422)
  async create(
    @Param('inbox_identifier') identifier: string,
    @Body() body: ContactIdentifyRequest,
  ) {
    const inbox = await this.context.inbox(identifier);
    let verified = false;
    if (inbox.hmacMandatory) {
      // An existing contact is checked against its stored identifier, like on every other route.
      const existing = body.source_id
        ? await this.queries
            .execute(new FindContactInboxQuery(inbox.id, body.source_id))
            .catch(() => null)
        : null;
      if (!existing && !body.identifier) throw new IdentifierRequiredError();
      this.context.verify(
        inbox,
        existing ? existing.contact.identifier : body.identifier!,
        body.identifier_hash,
      );
      verified = true;
    } else if (body.identifier_hash !== undefined) {
      this.context.verify(inbox, body.identifier ?? null, body.identifier_hash);
      verified = true;
    }
    const { identifier_hash: _hash, source_id: sourceId, ...values } = body;
    const { ref } = await this.commands.execute(
      new IdentifyContactCommand(
        inbox.accountId,
        inbox.id,
        sourceId,
        values,
        verified,
        { type: 'contact', id: null },
        inbox.hmacMandatory,
      ),
    );
    return toPublicContact(ref, values);
  }

  @Get('contacts/:source_id')
  @ApiOperation({
    summary: 'The contact',
    description:
      'For a source_id linked by an unverified email or phone match: the ids only (the other fields null and {}).',
  })
  @ApiOkResponse({ type: PublicContactResponse })
  @ApiProblems(401, 404)
  @ApiParam({
    name: 'source_id',
    description: 'The contact source_id that POST /contacts returned',
  })
  show(
    @ContactParam('contact') { contactInbox }: ContactContext,
    @Query() _query: PublicContactParams,
  ) {
    return toPublicContact(contactInbox);
  }

  @Patch('contacts/:source_id')
  @ApiOperation({
    summary: 'Update the contact (custom attributes are merged)',
    description:
      'Answers the contact with its additional_attributes, blocked and times, as Chatwoot does. Refused with 403 contact_not_verified for a source_id linked by an unverified email or phone match.',
  })
  @ApiOkResponse({ type: PublicContactUpdatedResponse })
  @ApiBody({
    type: PublicContactUpdate,
    examples: {
      name: {
        summary: 'Name and a custom attribute',
        value: { name: 'Alice Doe', custom_attributes: { plan: 'enterprise' } },
      },
    },
  })
  @ApiProblems(401, 403, 404, 409, 422)
  update(
    @Param('inbox_identifier') identifier: string,
    @Param('source_id') sourceId: string,
    @Query() query: IdentityParams,
    @Body() body: PublicContactUpdate,
  ) {
    return this.save(identifier, sourceId, query, body);
  }

  @Put('contacts/:source_id')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiOkResponse({ type: PublicContactUpdatedResponse })
  @ApiBody({
    type: PublicContactUpdate,
    examples: { email: { summary: 'A new email', value: { email: 'alice@example.org' } } },
  })
  @ApiProblems(401, 403, 404, 409, 422)
  replace(
    @Param('inbox_identifier') identifier: string,
    @Param('source_id') sourceId: string,
    @Query() query: IdentityParams,
    @Body() body: PublicContactUpdate,
  ) {
    return this.save(identifier, sourceId, query, body);
  }

  private async save(
    identifier: string,
    sourceId: string,
    query: IdentityParams,
    body: PublicContactUpdate,
  ) {
    const { identifier_hash: bodyHash, ...values } = body;
    const { inbox, contactInbox } = await this.context.contact(
      identifier,
      sourceId,
      query.identifier_hash ?? bodyHash,
    );
    // Knowing an email or phone number gave the caller a voice in conversations, not the contact.
    if (contactInbox.unverifiedMatch) throw new UnverifiedContactLinkError();
    // With identity validation on, the contact's identifier is what the hash proves: it cannot be changed here.
    if (
      inbox.hmacMandatory &&
      values.identifier !== undefined &&
      values.identifier !== contactInbox.contact.identifier
    ) {
      this.context.verify(inbox, values.identifier, query.identifier_hash ?? bodyHash);
    }
    await this.commands.execute(
      new SaveContactCommand(
        inbox.accountId,
        contactInbox.contactId,
        values,
        contactActor(contactInbox.contactId),
      ),
    );
    const [ref, { contact }] = await Promise.all([
      this.queries.execute(new FindContactInboxQuery(inbox.id, sourceId)),
      this.queries.execute(new GetContactQuery(inbox.accountId, contactInbox.contactId)),
    ]);
    return toUpdatedPublicContact(ref, inbox.accountId, contact);
  }
}
