import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UnprocessableError,
} from '../common/index.js';

const HOW_TO_AUTHENTICATE =
  'Send your access token in the api_access_token header or as Authorization: Bearer <token>.';

export class MissingCredentialError extends UnauthenticatedError {
  constructor() {
    super('missing_credentials', `This route needs an access token. ${HOW_TO_AUTHENTICATE}`);
  }
}

export class MalformedTokenError extends UnauthenticatedError {
  constructor() {
    super(
      'malformed_token',
      'The access token is not in the expected format (cvs_, or cvb_ for an agent bot, followed by 43 characters). Copy it again from where it was issued.',
    );
  }
}

export class InvalidTokenError extends UnauthenticatedError {
  constructor() {
    super(
      'invalid_token',
      'The access token is not known. Create a new one with POST /auth/sign_in.',
    );
  }
}

export class RevokedTokenError extends UnauthenticatedError {
  constructor() {
    super(
      'revoked_token',
      'The access token was revoked. Create a new one with POST /auth/sign_in.',
    );
  }
}

export class ExpiredTokenError extends UnauthenticatedError {
  constructor() {
    super(
      'expired_token',
      'The access token has expired. Create a new one with POST /auth/sign_in.',
    );
  }
}

export class InvalidSignInError extends UnauthenticatedError {
  constructor() {
    super('invalid_credentials', 'The email or password is not correct.');
  }
}

export class AccountNotFoundError extends NotFoundError {
  constructor(accountId: unknown) {
    super(
      'account_not_found',
      `No account ${String(accountId)} is reachable with this credential. Check the account id in the URL (GET /api/v1/profile lists yours).`,
    );
  }
}

export class AdministratorRequiredError extends ForbiddenError {
  constructor() {
    super('administrator_required', 'Only administrators of this account can do this.');
  }
}

export class AgentBotNotAllowedError extends ForbiddenError {
  constructor() {
    super(
      'agent_bot_not_allowed',
      "An agent bot's access token reaches only what a bot needs: creating, updating and changing the status or priority of conversations in its inboxes, their custom attributes, creating messages and assignments. Use a user's access token for anything else.",
    );
  }
}

export class AgentNotFoundError extends NotFoundError {
  constructor(userId: number) {
    super('agent_not_found', `No agent with id ${userId} in this account.`);
  }
}

export class AgentAlreadyExistsError extends ConflictError {
  constructor(userId: number) {
    super(
      'agent_already_exists',
      `The user with this email (id ${userId}) is already an agent of this account.`,
      {
        existing_id: userId,
      },
    );
  }
}

export class InvalidPasswordSetupTokenError extends UnprocessableError {
  constructor() {
    super(
      'invalid_reset_password_token',
      'This password token is unknown, already used or expired. Ask an administrator of your account for a new one (POST /api/v1/accounts/{account_id}/agents/{id}/password_setup).',
    );
  }
}

export class PasswordAlreadySetError extends ConflictError {
  constructor(userId: number) {
    super(
      'password_already_set',
      `The agent ${userId} has set a password already, or was not invited without one by this account; they sign in with it (or change it in their profile).`,
    );
  }
}

export class EmailTakenError extends ConflictError {
  constructor() {
    super('email_taken', 'Another user has this email; choose another.');
  }
}

export class LastAdministratorError extends ConflictError {
  constructor() {
    super(
      'last_administrator',
      'This is the last administrator of the account; make another agent an administrator first.',
    );
  }
}

export class AccessTokenNotFoundError extends NotFoundError {
  constructor(tokenId: number) {
    super('access_token_not_found', `You have no access token with id ${tokenId}.`);
  }
}

export class TeamNotFoundError extends NotFoundError {
  constructor(teamId: number) {
    super('team_not_found', `No team with id ${teamId} in this account.`);
  }
}

export class TeamNameTakenError extends ConflictError {
  constructor(teamId: number) {
    super('team_name_taken', `A team with this name already exists (id ${teamId}).`, {
      existing_id: teamId,
    });
  }
}

export class UnknownAgentsError extends UnprocessableError {
  constructor(userIds: number[]) {
    super(
      'unknown_agents',
      `These user ids are not agents of this account: ${userIds.join(', ')}. Add them with POST /agents first.`,
      { user_ids: userIds },
    );
  }
}

export class CurrentPasswordMismatchError extends UnprocessableError {
  constructor() {
    super('current_password_mismatch', 'current_password is not your current password.');
  }
}

export class CurrentPasswordRequiredError extends UnprocessableError {
  constructor() {
    super(
      'current_password_required',
      'Changing your password or your email needs current_password, your current password.',
      { field: 'current_password' },
    );
  }
}

/** 403 naming the field: an administrator manages membership, not the person's own profile. */
export class AgentProfileNotEditableError extends DomainError {
  constructor(field: string) {
    super(
      'forbidden',
      'agent_profile_not_editable',
      `${field} belongs to the user's own profile, shared by every account they are in: only they can change it (PATCH /api/v1/profile). An administrator may change it only for a user their account created who belongs to no other account. role, availability_status and auto_offline can be changed here.`,
      { field },
    );
  }
}

export class AgentInvitationPendingError extends ConflictError {
  constructor(invitationId: number) {
    super(
      'agent_invitation_pending',
      `The user with this email already has a pending invitation to this account (invitation ${invitationId}); they become an agent when they accept it. DELETE /agents/invitations/${invitationId} revokes it.`,
      { existing_id: invitationId },
    );
  }
}

export class InvitationNotFoundError extends NotFoundError {
  constructor(invitationId: number) {
    super(
      'invitation_not_found',
      `No pending invitation ${invitationId} here. GET /api/v1/profile/invitations lists yours; an account's are at GET /api/v1/accounts/{account_id}/agents/invitations.`,
    );
  }
}
