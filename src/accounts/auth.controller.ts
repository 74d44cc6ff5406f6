import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/index.js';
import { Public } from './auth.decorators.js';
import { SignInCommand } from './commands/sign-in.command.js';
import { SignInRequest } from './dto/requests.js';
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
  async signIn(@Body() body: SignInRequest): Promise<SignInResponse> {
    const { userId, tokenId, token } = await this.commands.execute(
      new SignInCommand(body.email, body.password),
    );
    const [tokenInfo] = await this.queries.execute(new ListAccessTokensQuery(userId, tokenId));
    return {
      access_token: token,
      token: tokenInfo,
      profile: await this.queries.execute(new GetProfileQuery(userId)),
    };
  }
}
