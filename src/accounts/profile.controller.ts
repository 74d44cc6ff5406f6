import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems, BodyWrapper, ParseIdPipe } from '../common/index.js';
import { ApiAuthenticated } from './account-scoped.decorator.js';
import { AccountNotFoundError, AgentNotFoundError } from './accounts.errors.js';
import { actorOf } from './auth-context.js';
import type { AuthContext } from './auth-context.js';
import { CurrentAuth } from './auth.decorators.js';
import { AcceptInvitationCommand } from './commands/accept-invitation.command.js';
import { CreateAccessTokenCommand } from './commands/create-access-token.command.js';
import { DeleteInvitationCommand } from './commands/delete-invitation.command.js';
import { RevokeAccessTokenCommand } from './commands/revoke-access-token.command.js';
import { UpdateAgentCommand } from './commands/update-agent.command.js';
import type { AgentChanges } from './commands/update-agent.command.js';
import { UpdateProfileCommand } from './commands/update-profile.command.js';
import {
  CreateAccessTokenRequest,
  SetAutoOfflineRequest,
  SetAvailabilityRequest,
  UpdateProfileRequest,
} from './dto/requests.js';
import {
  AccessTokenResponse,
  CreatedAccessTokenResponse,
  InvitationResponse,
  ProfileResponse,
} from './dto/responses.js';
import { ListInvitationsQuery } from './queries/list-invitations.query.js';
import { GetProfileQuery } from './queries/get-profile.query.js';
import { ListAccessTokensQuery } from './queries/list-access-tokens.query.js';

/** PUT (Chatwoot) and PATCH /api/v1/profile: one behaviour, documented once. */
function ProfileUpdate() {
  return applyDecorators(
    BodyWrapper('profile'),
    ApiOperation({
      summary:
        'Change your profile (PUT as in Chatwoot, or PATCH): name, email, password, signature...',
      description:
        "Chatwoot's `{ profile: {...} }` or the same fields flat. A new `password` or a new `email` needs `current_password` (unless you have no password yet): 422 `current_password_required` without it, `current_password_mismatch` when wrong. Chatwoot takes a new email without it but applies it only once the new address confirms by mail; Conversa sends no mail and applies it at once. The email you have already (as profile forms resend it) needs nothing. A `password_confirmation`, when sent, must equal `password`. `email` must not belong to another user (409 email_taken). The avatar (a file) is not taken here yet.",
    }),
    ApiOkResponse({ type: ProfileResponse }),
    ApiProblems(409, 422),
    ApiBody({
      type: UpdateProfileRequest,
      examples: {
        displayName: { summary: 'A display name', value: { display_name: 'Ada from Support' } },
        password: {
          summary: 'A new password',
          value: {
            password: 'new long passphrase',
            password_confirmation: 'new long passphrase',
            current_password: 'correct horse battery',
          },
        },
        signature: {
          summary: 'Signature, phone and client settings',
          value: {
            message_signature: '-- Ada, Acme Support',
            phone_number: '+15555550123',
            ui_settings: { theme: 'dark' },
          },
        },
      },
    }),
  );
}

@ApiTags('Profile')
@ApiAuthenticated()
@Controller('api/v1/profile')
export class ProfileController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The caller: their user and the accounts they belong to',
    description:
      "Chatwoot's user fields, without `access_token` and `pubsub_token`: Conversa keeps only a hash of each access token, so it cannot show one again (use the token you called with, or POST /api/v1/profile/access_tokens).",
  })
  @ApiOkResponse({ type: ProfileResponse })
  profile(@CurrentAuth() auth: AuthContext): Promise<ProfileResponse> {
    return this.queries.execute(new GetProfileQuery(auth.userId));
  }

  @Put()
  @ProfileUpdate()
  replace(
    @CurrentAuth() auth: AuthContext,
    @Body() body: UpdateProfileRequest,
  ): Promise<ProfileResponse> {
    return this.update(auth, body);
  }

  @Patch()
  @ProfileUpdate()
  async update(
    @CurrentAuth() auth: AuthContext,
    @Body() body: UpdateProfileRequest,
  ): Promise<ProfileResponse> {
    await this.commands.execute(new UpdateProfileCommand(auth.userId, body));
    return this.queries.execute(new GetProfileQuery(auth.userId));
  }

  @Post('availability')
  @BodyWrapper('profile')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set your availability (online, busy, offline) in one of your accounts',
  })
  @ApiOkResponse({ type: ProfileResponse })
  @ApiProblems(404, 422)
  @ApiBody({
    type: SetAvailabilityRequest,
    examples: {
      busy: { summary: 'Busy in account 1', value: { account_id: 1, availability: 'busy' } },
    },
  })
  async setAvailability(
    @CurrentAuth() auth: AuthContext,
    @Body() body: SetAvailabilityRequest,
  ): Promise<ProfileResponse> {
    await this.updateOwnMembership(auth, body.account_id, { availability: body.availability });
    return this.queries.execute(new GetProfileQuery(auth.userId));
  }

  private async updateOwnMembership(
    auth: AuthContext,
    accountId: number,
    changes: AgentChanges,
  ): Promise<void> {
    await this.commands
      .execute(new UpdateAgentCommand(accountId, auth.userId, changes, actorOf(auth)))
      .catch((error: unknown) => {
        // The caller is the "agent" here: not being one means the account is not theirs.
        throw error instanceof AgentNotFoundError ? new AccountNotFoundError(accountId) : error;
      });
  }

  @Post('auto_offline')
  @HttpCode(200)
  @BodyWrapper('profile')
  @ApiOperation({
    summary: 'Set whether you go offline automatically, in one of your accounts',
  })
  @ApiOkResponse({ type: ProfileResponse })
  @ApiProblems(404, 422)
  @ApiBody({
    type: SetAutoOfflineRequest,
    examples: {
      off: { summary: 'Stay as set in account 1', value: { account_id: 1, auto_offline: false } },
    },
  })
  async setAutoOffline(
    @CurrentAuth() auth: AuthContext,
    @Body() body: SetAutoOfflineRequest,
  ): Promise<ProfileResponse> {
    await this.updateOwnMembership(auth, body.account_id, { autoOffline: body.auto_offline });
    return this.queries.execute(new GetProfileQuery(auth.userId));
  }

  @Get('access_tokens')
  @ApiOperation({ summary: 'Your access tokens (never the secrets)' })
  @ApiOkResponse({ type: [AccessTokenResponse] })
  tokens(@CurrentAuth() auth: AuthContext): Promise<AccessTokenResponse[]> {
    return this.queries.execute(new ListAccessTokensQuery(auth.userId));
  }

  @Post('access_tokens')
  @ApiOperation({ summary: 'Create a personal access token; the token is in this response only' })
  @ApiCreatedResponse({ type: CreatedAccessTokenResponse })
  @ApiProblems(422)
  @ApiBody({
    type: CreateAccessTokenRequest,
    examples: {
      ci: {
        summary: 'A token for a script, 90 days',
        value: { name: 'CRM sync', expires_in_days: 90 },
      },
    },
  })
  async createToken(
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateAccessTokenRequest,
  ): Promise<CreatedAccessTokenResponse> {
    const { id, token } = await this.commands.execute(
      new CreateAccessTokenCommand(auth.userId, body.name, body.expires_in_days ?? null),
    );
    const [info] = await this.queries.execute(new ListAccessTokensQuery(auth.userId, id));
    return { ...info, token };
  }

  @Delete('access_tokens/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of your tokens (it stops working at once)' })
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  async revokeToken(
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new RevokeAccessTokenCommand(auth.userId, id));
  }

  @Get('invitations')
  @ApiOperation({
    summary: 'Accounts that invited you: you are not their agent until you accept',
  })
  @ApiOkResponse({ type: [InvitationResponse] })
  async invitations(@CurrentAuth() auth: AuthContext): Promise<InvitationResponse[]> {
    const rows = await this.queries.execute(new ListInvitationsQuery({ userId: auth.userId }));
    return rows.map((row) => ({
      id: row.id,
      account: { id: row.account_id, name: row.account_name },
      role: row.role,
      invited_by:
        row.invited_by_id === null ? null : { id: row.invited_by_id, name: row.invited_by_name! },
      created_at: row.created_at,
    }));
  }

  @Post('invitations/:id/accept')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept an invitation: you become an agent of the account with the invited role',
  })
  @ApiOkResponse({ type: ProfileResponse })
  @ApiProblems(400, 404)
  async acceptInvitation(
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<ProfileResponse> {
    await this.commands.execute(new AcceptInvitationCommand(auth.userId, id, actorOf(auth)));
    return this.queries.execute(new GetProfileQuery(auth.userId));
  }

  @Post('invitations/:id/decline')
  @HttpCode(204)
  @ApiOperation({ summary: 'Decline an invitation (the account is not told who you are)' })
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  async declineInvitation(
    @CurrentAuth() auth: AuthContext,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<void> {
    await this.commands.execute(new DeleteInvitationCommand({ userId: auth.userId }, id));
  }
}
