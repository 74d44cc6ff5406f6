import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
  ValidateBy,
  ValidationError,
} from 'class-validator';
import {
  DEVELOPMENT_WEBHOOK_TARGETS,
  targetEntries,
  targetEntryProblem,
} from './allowed-targets.js';

/** Active content (it could run script where it is opened), refused by default. */
const DEFAULT_DENIED_TYPES =
  'text/html,application/xhtml+xml,image/svg+xml,text/xml,application/xml,text/javascript,application/javascript,application/x-msdownload';

export const ATTACHMENT_STORAGES = ['local', 's3'] as const;
export type AttachmentStorageKind = (typeof ATTACHMENT_STORAGES)[number];

export const PROCESS_ROLES = ['api', 'worker', 'both'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

/**
 * Every setting the service reads, with defaults that work against the local PostgreSQL and
 * Redis. Validated once at boot; a bad value stops the process with a readable message.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Matches(/^(?:[A-Za-z0-9_.-]+|[0-9A-Fa-f:.]+)$/, {
    message: 'HOST must be an address or host name to listen on',
  })
  HOST = '0.0.0.0';

  /** Which half of the work this process does: HTTP, background jobs, or both. */
  @IsIn(PROCESS_ROLES)
  PROCESS_ROLE: ProcessRole = 'both';

  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must look like postgres://user:password@host:5432/database',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/conversa';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /**
   * Group commit: at most this many queued writes of one lane share a transaction (1: every
   * write has its own). A write whose lane is idle never waits for others.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  WRITE_BATCH_MAX = 32;

  /**
   * Lanes of group commit: each runs one transaction at a time (so holds at most one of the
   * pool's connections); hot writes are spread over them by conversation.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  WRITE_LANES = 4;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must look like redis://host:6379' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key this deployment writes, so deployments can share a Redis. */
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, {
    message: 'REDIS_PREFIX must be 1-64 letters, digits, dots, dashes or underscores',
  })
  REDIS_PREFIX = 'conversa';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * A request field no Conversa route declares: `reject` answers 422 naming it (the default);
   * `ignore` drops it, as Chatwoot does, and names it in the Conversa-Ignored-Fields header.
   */
  @IsIn(['reject', 'ignore'])
  UNKNOWN_FIELDS: 'reject' | 'ignore' = 'reject';

  /** Largest accepted request body, in bytes. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  /** Rate-limit window, and requests allowed in it per credential and per anonymous IP. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_WINDOW_MS = 60_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_CREDENTIAL = 1200;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_IP = 120;

  /** Requests allowed per agent bot (its access token) in the rate-limit window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_AGENT_BOT = 600;

  /** log2 of the scrypt cost parameter N for password hashes (17 = 128 MiB, OWASP's minimum). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(20)
  PASSWORD_HASH_COST = 17;

  /** Lifetime of tokens issued by POST /auth/sign_in; personal tokens never expire unless asked. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SIGN_IN_TOKEN_TTL_DAYS = 30;

  /** How long the one-time token of an agent invited without a password lets them set one. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  PASSWORD_SETUP_TTL_HOURS = 72;

  @IsUrl(
    { require_protocol: true, protocols: ['http', 'https'], require_tld: false },
    { message: 'PUBLIC_URL must be an http(s) URL' },
  )
  PUBLIC_URL = 'http://localhost:3000';

  /**
   * Hosts and CIDRs that webhook URLs may target although they are private, loopback or
   * otherwise internal (comma separated, no ports), e.g. `127.0.0.0/8,::1,hooks.internal`.
   * Empty: none, except loopback with NODE_ENV=development (DEVELOPMENT_WEBHOOK_TARGETS).
   */
  @ValidateBy({
    name: 'allowedTargets',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && listProblem(value) === null,
      defaultMessage: (args) => `WEBHOOK_ALLOWED_TARGETS entry ${listProblem(String(args?.value))}`,
    },
  })
  WEBHOOK_ALLOWED_TARGETS = '';

  /** Milliseconds to wait for a webhook receiver's answer. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  WEBHOOK_TIMEOUT_MS = 15_000;

  /** Delays between delivery attempts after the first, in ms (comma separated), each ±20 %. */
  @Matches(/^\d+(,\d+)*$/, {
    message: 'WEBHOOK_RETRY_SCHEDULE_MS must be comma-separated milliseconds',
  })
  WEBHOOK_RETRY_SCHEDULE_MS = '5000,300000,1800000,7200000,18000000,36000000,36000000';

  /** The longest a receiver's Retry-After is honoured, in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  WEBHOOK_RETRY_AFTER_CAP_MS = 3_600_000;

  /** An endpoint failing without a success for this long is disabled (ms; default 5 days). */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  WEBHOOK_DISABLE_AFTER_MS = 5 * 86_400_000;

  /** How long both signatures are sent after a secret rotation (ms; default 24 h). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  WEBHOOK_SECRET_OVERLAP_MS = 86_400_000;

  /** Endpoints one worker process delivers to at the same time. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  WEBHOOK_CONCURRENCY = 50;

  /**
   * Requests in flight to one endpoint from all worker processes together (each holds one of the
   * endpoint's slots): a delivery round sends the first pending event of up to this many
   * conversations together.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_ENDPOINT_CONCURRENCY = 25;

  /** How often the relay looks for undelivered events and deliveries without a job (ms). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  WEBHOOK_RELAY_INTERVAL_MS = 2_000;

  /**
   * Failed delivery attempts are logged (warn) at most once per endpoint per this many ms, with a
   * count of those left out, so a dead receiver cannot flood the log.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  WEBHOOK_FAILURE_LOG_INTERVAL_MS = 60_000;

  /** /health fails when a due delivery has waited longer than this (ms). */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  WEBHOOK_MAX_DELAY_MS = 300_000;

  /** Days events are kept for the event feed (GET /events) and redelivery. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  EVENT_RETENTION_DAYS = 30;

  /** Days an audit log entry (an administrator's action) is kept; older ones are deleted hourly. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUDIT_LOG_RETENTION_DAYS = 365;

  /** Test-only fault injection (refused unless NODE_ENV=test). */
  @IsIn(['', 'crash_after_commit', 'crash_after_fanout'])
  FAULT_INJECTION = '';

  /** Automated messages (send_message, add_private_note) allowed per conversation per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUTOMATION_MESSAGES_PER_MINUTE = 10;

  /** How long an Idempotency-Key is remembered. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  IDEMPOTENCY_TTL_HOURS = 24;

  /** After this long without an answer, a request holding a key counts as abandoned. */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  IDEMPOTENCY_LOCK_TIMEOUT_MS = 300_000;

  /**
   * A pending conversation of an agent bot whose contact has waited this long (ms) for an answer
   * is handed to people. Generous by default: a slow bot is retried like a webhook, not dropped.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  AGENT_BOT_REPLY_TIMEOUT_MS = 600_000;

  /** How often (ms) a delivering process looks for bot conversations past that timeout. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  AGENT_BOT_SWEEP_INTERVAL_MS = 15_000;

  /** How often (ms) a worker process reopens snoozed conversations whose snoozed_until passed. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  SNOOZE_WAKE_INTERVAL_MS = 30_000;

  /** Where attachments are stored: `local` (a directory) or `s3` (any S3-compatible storage). */
  @IsIn(ATTACHMENT_STORAGES)
  ATTACHMENT_STORAGE: AttachmentStorageKind = 'local';

  /** The directory of `local` storage (created when missing). */
  @Matches(/^\S.*$/, { message: 'ATTACHMENT_DIR must be a directory path' })
  ATTACHMENT_DIR = './storage/attachments';

  /** The bucket of `s3` storage; the other ATTACHMENT_S3_ settings are optional. */
  @Matches(/^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    message: 'ATTACHMENT_S3_BUCKET must be an S3 bucket name',
  })
  ATTACHMENT_S3_BUCKET = '';

  /** An S3-compatible server's URL (MinIO, R2, ...); empty: AWS for the region. */
  @Matches(/^$|^https?:\/\/\S+$/, { message: 'ATTACHMENT_S3_ENDPOINT must be an http(s) URL' })
  ATTACHMENT_S3_ENDPOINT = '';

  @Matches(/^[a-z0-9-]+$/, { message: 'ATTACHMENT_S3_REGION must be a region name' })
  ATTACHMENT_S3_REGION = 'us-east-1';

  /** Empty: the AWS SDK's default credentials (environment, profile, instance role). */
  ATTACHMENT_S3_ACCESS_KEY_ID = '';

  ATTACHMENT_S3_SECRET_ACCESS_KEY = '';

  /** Path-style URLs (bucket in the path), which most S3-compatible servers need. */
  @IsIn(['true', 'false'])
  ATTACHMENT_S3_FORCE_PATH_STYLE: 'true' | 'false' = 'false';

  /** Largest file accepted, in bytes (default 40 MB, as Chatwoot). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ATTACHMENT_MAX_BYTES = 40 * 1024 * 1024;

  /** Files accepted in one message. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  ATTACHMENT_MAX_FILES = 15;

  /**
   * Content types refused, as detected from the bytes (comma separated; `type/*` matches a
   * whole type; `none`: refuse no type). The default refuses active content: HTML, SVG, XML
   * and scripts (served files never run on this origin either way).
   */
  @Matches(/^none$|^[a-z0-9.+*-]+\/[a-z0-9.+*-]+(,[a-z0-9.+*-]+\/[a-z0-9.+*-]+)*$/, {
    message: 'ATTACHMENT_DENIED_TYPES must be comma-separated content types such as text/html',
  })
  ATTACHMENT_DENIED_TYPES = DEFAULT_DENIED_TYPES;

  /** How long a signed data_url / thumb_url works, in seconds (webhooks: from each delivery). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ATTACHMENT_URL_TTL_SECONDS = 3600;

  /**
   * Key that signs attachment URLs; every process of a deployment needs the same one. Empty: a
   * key derived from DATABASE_URL (set your own in production).
   */
  @Matches(/^$|^.{32,}$/, { message: 'ATTACHMENT_SIGNING_SECRET must be at least 32 characters' })
  ATTACHMENT_SIGNING_SECRET = '';

  /** How long fetching an attachment's external_url may take, in ms. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  ATTACHMENT_FETCH_TIMEOUT_MS = 15_000;

  /** How often files of deleted messages and abandoned uploads are removed (ms). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  ATTACHMENT_SWEEP_INTERVAL_MS = 60_000;

  /** An upload whose message has not committed after this long is abandoned (ms). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  ATTACHMENT_ABANDONED_AFTER_MS = 3_600_000;
}

/** A good value of each setting, shown after a bad one. */
const EXAMPLES: Record<keyof Environment, string> = {
  NODE_ENV: 'production',
  PORT: '3000',
  HOST: '0.0.0.0',
  PROCESS_ROLE: 'both',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conversa',
  DATABASE_POOL_SIZE: '10',
  WRITE_BATCH_MAX: '32',
  WRITE_LANES: '4',
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_PREFIX: 'conversa',
  LOG_LEVEL: 'info',
  UNKNOWN_FIELDS: 'ignore',
  BODY_LIMIT_BYTES: '1048576',
  RATE_LIMIT_WINDOW_MS: '60000',
  RATE_LIMIT_PER_CREDENTIAL: '1200',
  RATE_LIMIT_PER_IP: '120',
  RATE_LIMIT_PER_AGENT_BOT: '600',
  PASSWORD_HASH_COST: '17',
  SIGN_IN_TOKEN_TTL_DAYS: '30',
  PASSWORD_SETUP_TTL_HOURS: '72',
  PUBLIC_URL: 'https://conversa.example.com',
  WEBHOOK_ALLOWED_TARGETS: '127.0.0.1,10.0.0.0/8,hooks.internal',
  WEBHOOK_TIMEOUT_MS: '15000',
  WEBHOOK_RETRY_SCHEDULE_MS: '5000,300000,1800000',
  WEBHOOK_RETRY_AFTER_CAP_MS: '3600000',
  WEBHOOK_DISABLE_AFTER_MS: '432000000',
  WEBHOOK_FAILURE_LOG_INTERVAL_MS: '60000',
  WEBHOOK_SECRET_OVERLAP_MS: '86400000',
  WEBHOOK_CONCURRENCY: '50',
  WEBHOOK_ENDPOINT_CONCURRENCY: '25',
  WEBHOOK_RELAY_INTERVAL_MS: '2000',
  WEBHOOK_MAX_DELAY_MS: '300000',
  EVENT_RETENTION_DAYS: '30',
  AUDIT_LOG_RETENTION_DAYS: '365',
  FAULT_INJECTION: 'crash_after_commit',
  AUTOMATION_MESSAGES_PER_MINUTE: '10',
  IDEMPOTENCY_TTL_HOURS: '24',
  IDEMPOTENCY_LOCK_TIMEOUT_MS: '300000',
  AGENT_BOT_REPLY_TIMEOUT_MS: '600000',
  AGENT_BOT_SWEEP_INTERVAL_MS: '15000',
  SNOOZE_WAKE_INTERVAL_MS: '30000',
  ATTACHMENT_STORAGE: 's3',
  ATTACHMENT_DIR: '/var/lib/conversa/attachments',
  ATTACHMENT_S3_BUCKET: 'conversa-attachments',
  ATTACHMENT_S3_ENDPOINT: 'http://minio.internal:9000',
  ATTACHMENT_S3_REGION: 'eu-west-1',
  ATTACHMENT_S3_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  ATTACHMENT_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  ATTACHMENT_S3_FORCE_PATH_STYLE: 'true',
  ATTACHMENT_MAX_BYTES: '41943040',
  ATTACHMENT_MAX_FILES: '15',
  ATTACHMENT_DENIED_TYPES: 'text/html,image/svg+xml',
  ATTACHMENT_URL_TTL_SECONDS: '3600',
  ATTACHMENT_SIGNING_SECRET: '<64 random characters, e.g. openssl rand -hex 32>',
  ATTACHMENT_FETCH_TIMEOUT_MS: '15000',
  ATTACHMENT_SWEEP_INTERVAL_MS: '60000',
  ATTACHMENT_ABANDONED_AFTER_MS: '3600000',
};

/** The first bad entry of a host/CIDR list, explained, or null. */
function listProblem(list: string): string | null {
  for (const entry of targetEntries(list)) {
    const problem = targetEntryProblem(entry);
    if (problem) return problem;
  }
  return null;
}

/** A value as it may be shown: a URL's password is masked. */
function shown(value: unknown): string {
  const text = String(value);
  try {
    const url = new URL(text);
    if (url.password) {
      url.password = '***';
      return JSON.stringify(url.toString());
    }
  } catch {
    // not a URL
  }
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text);
}

/** One line: the variable, what is wrong, the bad value and a good example. */
function lineOf(key: string, messages: string[], value: unknown): string {
  const reason = messages.map((message) => message.replace(/\.$/, '')).join('; ');
  const example = EXAMPLES[key as keyof Environment];
  const got = key.includes('SECRET') ? '"***"' : shown(value);
  return `${key}: ${reason} (got ${got}; e.g. ${key}=${example})`;
}

export class ConfigurationError extends Error {
  constructor(readonly lines: string[]) {
    // One bad setting fits on one line; several get one line each under a heading.
    super(
      lines.length === 1
        ? `Invalid configuration: ${lines[0]}`
        : `Invalid configuration:\n${lines.map((line) => `  ${line}`).join('\n')}`,
    );
  }
}

/** Reads the known keys from `raw`, applies defaults and types, and throws on invalid values. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = Object.keys(new Environment());
  const picked: Record<string, unknown> = Object.fromEntries(
    known.filter((key) => raw[key] !== undefined && raw[key] !== '').map((key) => [key, raw[key]]),
  );
  const environment = plainToInstance(Environment, picked, { exposeDefaultValues: true });
  const lines = validateSync(environment).map((error: ValidationError) => {
    const constraints = error.constraints ?? {};
    // Not a number at all: its range does not matter yet.
    const messages =
      Number.isNaN(error.value) && constraints.isInt
        ? [constraints.isInt]
        : Object.values(constraints);
    return lineOf(error.property, messages, picked[error.property]);
  });
  if (environment.FAULT_INJECTION && environment.NODE_ENV !== 'test') {
    lines.push(
      lineOf(
        'FAULT_INJECTION',
        ['FAULT_INJECTION is only allowed with NODE_ENV=test'],
        environment.FAULT_INJECTION,
      ),
    );
  }
  if (environment.ATTACHMENT_STORAGE === 's3' && !environment.ATTACHMENT_S3_BUCKET) {
    lines.push(
      lineOf(
        'ATTACHMENT_S3_BUCKET',
        ['ATTACHMENT_S3_BUCKET is required with ATTACHMENT_STORAGE=s3'],
        environment.ATTACHMENT_S3_BUCKET,
      ),
    );
  }
  if (lines.length > 0) throw new ConfigurationError(lines);
  if (environment.NODE_ENV === 'development' && !environment.WEBHOOK_ALLOWED_TARGETS) {
    environment.WEBHOOK_ALLOWED_TARGETS = DEVELOPMENT_WEBHOOK_TARGETS;
  }
  return environment;
}

/** Whether loopback webhook targets are open only because of NODE_ENV=development. */
export function developmentLoopbackOpen(environment: Environment): boolean {
  return (
    environment.NODE_ENV === 'development' &&
    environment.WEBHOOK_ALLOWED_TARGETS === DEVELOPMENT_WEBHOOK_TARGETS
  );
}
