import { ApiProperty } from '@nestjs/swagger';
import { AVAILABILITIES, ROLES } from '../entities/account-user.entity.js';
import type { Availability, Role } from '../entities/account-user.entity.js';

/** An agent: a user as a member of one account (Chatwoot's agent shape). */
export class AgentResponse {
  @ApiProperty() id: number;
  @ApiProperty() account_id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) display_name: string | null;
  @ApiProperty({ description: 'display_name when set, else name' }) available_name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ enum: AVAILABILITIES }) availability_status: Availability;
  @ApiProperty() auto_offline: boolean;
  @ApiProperty({
    description:
      'false for an agent invited without a password who has not set one yet; otherwise true (Conversa has no email confirmation step)',
  })
  confirmed: boolean;
  @ApiProperty({ description: 'Avatar URL; empty until avatars exist' }) thumbnail: string;
}

/** A new agent added without a password: the one-time token with which they set one. */
export class InvitedAgentResponse extends AgentResponse {
  @ApiProperty({
    description:
      'One-time token the agent sets their password with (PUT /auth/password). Shown only in this response, stored only as a hash: pass it on now.',
  })
  reset_password_token: string;
  @ApiProperty({ description: 'When the token stops working (PASSWORD_SETUP_TTL_HOURS)' })
  reset_password_token_expires_at: Date;
}

/**
 * An existing user invited to the account, as its administrators see them until they accept:
 * the email they typed, never the user's name or other profile data.
 */
export class AgentInvitationResponse {
  @ApiProperty({ description: 'The invitation id (not a user id)' }) id: number;
  @ApiProperty() account_id: number;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ enum: AVAILABILITIES }) availability_status: Availability;
  @ApiProperty() auto_offline: boolean;
  @ApiProperty({ enum: ['pending'] }) status: 'pending';
  @ApiProperty({ description: 'false until the user accepts' }) confirmed: false;
  @ApiProperty() created_at: Date;
}

/** An invitation as the invited user sees it. */
export class InvitationResponse {
  @ApiProperty() id: number;
  @ApiProperty({ example: { id: 2, name: 'Acme' } }) account: { id: number; name: string };
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: Object, example: { id: 1, name: 'Ada' } })
  invited_by: { id: number; name: string } | null;
  @ApiProperty() created_at: Date;
}

export class ProfileAccount {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ enum: AVAILABILITIES }) availability: Availability;
  @ApiProperty({ enum: AVAILABILITIES }) availability_status: Availability;
  @ApiProperty() auto_offline: boolean;
  @ApiProperty({ enum: ['active'] }) status: 'active';
  @ApiProperty({ nullable: true, type: Date, description: 'Always null: not tracked' })
  active_at: null;
  @ApiProperty({ type: [String], description: 'Your role, as Chatwoot lists permissions' })
  permissions: Role[];
}

export class ProfileResponse {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) display_name: string | null;
  @ApiProperty() available_name: string;
  @ApiProperty() email: string;
  @ApiProperty() confirmed: boolean;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'The first account, for single-account callers',
  })
  account_id: number | null;
  @ApiProperty({
    enum: ROLES,
    nullable: true,
    description: 'Your role in account_id (null without an account)',
  })
  role: Role | null;
  @ApiProperty({ type: [ProfileAccount] }) accounts: ProfileAccount[];
  @ApiProperty({ nullable: true, type: String }) message_signature: string | null;
  @ApiProperty({ nullable: true, type: String }) phone_number: string | null;
  @ApiProperty({ type: Object, example: { theme: 'dark' } }) ui_settings: Record<string, unknown>;
  @ApiProperty({ description: 'Empty until avatars exist' }) avatar_url: string;
  @ApiProperty({ description: 'Your email, as Chatwoot reports it' }) uid: string;
  @ApiProperty({ enum: ['email'] }) provider: 'email';
  @ApiProperty({ enum: ['User'] }) type: 'User';
}

export class AccessTokenResponse {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['personal', 'sign_in'] }) kind: 'personal' | 'sign_in';
  @ApiProperty({ description: 'The first characters of the token', example: 'cvs_Ab3d' })
  hint: string;
  @ApiProperty() created_at: Date;
  @ApiProperty({ nullable: true, type: Date }) expires_at: Date | null;
  @ApiProperty({ nullable: true, type: Date, description: 'Updated at most once a minute' })
  last_used_at: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revoked_at: Date | null;
}

export class CreatedAccessTokenResponse extends AccessTokenResponse {
  @ApiProperty({ description: 'The token itself. Shown only in this response: store it now.' })
  token: string;
}

export class SignInResponse {
  @ApiProperty({ description: 'A new access token, shown only in this response' })
  access_token: string;
  @ApiProperty({ type: AccessTokenResponse }) token: AccessTokenResponse;
  @ApiProperty({ type: ProfileResponse }) profile: ProfileResponse;
}

export class TeamResponse {
  @ApiProperty() id: number;
  @ApiProperty() account_id: number;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() allow_auto_assign: boolean;
  @ApiProperty({ description: 'Whether the caller is a member of the team' }) is_member: boolean;
}

/** Chatwoot's `account_show_response` (and `account_detail`, the answer to PATCH). */
export class AccountResponse {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'en' }) locale: string;
  @ApiProperty({ nullable: true, type: String }) domain: string | null;
  @ApiProperty({ nullable: true, type: String }) support_email: string | null;
  @ApiProperty({ enum: ['active'] }) status: 'active';
  @ApiProperty() created_at: Date;
  @ApiProperty({ type: Object, description: 'Always empty: Conversa has no client caches to key' })
  cache_keys: Record<string, never>;
  @ApiProperty({ type: Object, description: 'Always empty: no feature flags' })
  features: Record<string, never>;
  @ApiProperty({
    type: Object,
    example: { auto_resolve_after: 1440 },
    description: 'auto_resolve_after, auto_resolve_message, auto_resolve_ignore_waiting, as set',
  })
  settings: Record<string, unknown>;
  @ApiProperty({
    type: Object,
    example: { industry: 'Technology' },
    description: 'industry, company_size, timezone, as set',
  })
  custom_attributes: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, description: 'Always null' })
  latest_chatwoot_version: null;
  @ApiProperty({ type: [String], description: 'Always empty' }) subscribed_features: string[];
}
