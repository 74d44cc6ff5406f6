import { Body, Controller, HttpCode, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/index.js';
import { Public } from './auth.decorators.js';
import { SignInCommand } from './commands/sign-in.command.js';
import { SetPasswordRequest, SignInRequest } from './dto/requests.js';
import { SetPasswordWithTokenCommand } from './commands/password-setup.commands.js';
import { SignInResponse } from './dto/responses.js';
import { GetProfileQuery } from './queries/get-profile.query.js';
import { ListAccessTokensQuery } from './queries/list-access-tokens.query.js';

@ApiTags('Profile')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Public()
  @Post('sign_in')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'Issues a new access token that expires after SIGN_IN_TOKEN_TTL_DAYS (default 30).',
  })
  @ApiOkResponse({ type: SignInResponse })
  @ApiProblems(401, 422)
  @ApiBody({
    type: SignInRequest,
    examples: {
      password: {
        summary: 'Email and password',
        value: { email: 'ada@example.com', password: 'correct horse battery' },
      },
    },
  })
  signIn(@Body() body: SignInRequest): Promise<SignInResponse> {
    return this.signedIn(body.email, body.password);
  }

  @Public()
  @Put('password')
  @ApiOperation({
    summary: 'Set your password with the one-time token of your invitation, and sign in',
    description:
      "For an agent added without a password (Chatwoot's invitation): `reset_password_token` is the token the administrator received. It works once, until it expires; the answer is the same as POST /auth/sign_in's.",
  })
  @ApiOkResponse({ type: SignInResponse })
  @ApiProblems(422)
  @ApiBody({
    type: SetPasswordRequest,
    examples: {
      invitation: {
        summary: 'First password',
        value: {
          reset_password_token: 'cvp_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
          password: 'correct horse battery',
          password_confirmation: 'correct horse battery',
        },
      },
    },
  })
  async setPassword(@Body() body: SetPasswordRequest): Promise<SignInResponse> {
    const { email } = await this.commands.execute(
      new SetPasswordWithTokenCommand(body.reset_password_token, body.password),
    );
    return this.signedIn(email, body.password);
  }

  private async signedIn(email: string, password: string): Promise<SignInResponse> {
    const { userId, tokenId, token } = await this.commands.execute(
      new SignInCommand(email, password),
    );
    const [tokenInfo] = await this.queries.execute(new ListAccessTokensQuery(userId, tokenId));
    return {
      access_token: token,
      token: tokenInfo,
      profile: await this.queries.execute(new GetProfileQuery(userId)),
    };
  }
}
