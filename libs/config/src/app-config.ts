// One validated configuration, read once at boot. Nothing else in the code base reads process.env.
import { isAbsolute, join, resolve } from 'node:path';

export type DatabaseMode = 'embedded' | 'external';
export type QueueMode = 'redis' | 'postgres';

export interface AppConfig {
  host: string;
  port: number;
  databaseUrl: string | null;
  redisUrl: string | null;
  dataDir: string;
  embeddedPgPort: number;
  clockSkewSeconds: number;
  /** Days a supply or another decommission (except locked, which has no limit) may be undone by its signer (EU FMD: 10). */
  decommissionUndoDays: number;
  ledgerKeyPath: string;
  sessionTtlSeconds: number;
  challengeTtlSeconds: number;
  queuePrefix: string;
  seedDemo: boolean;
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  publicBaseUrl: string;
  /** Whether PUBLIC_BASE_URL was set (otherwise publicBaseUrl is only the bind address, not for links sent out). */
  publicBaseUrlExplicit: boolean;
  /** Most events sealed into one block. */
  maxBlockEvents: number;
  /** The worker seals on this timer even when no job arrives (queue outage, missed notification). */
  sealIntervalMs: number;
  /** Appends within this window are sealed together. */
  sealDebounceMs: number;
  /** Bounds on one GraphQL request (docs/access-model.md's neighbour: README "Limits"). */
  limits: RequestLimits;
  rateLimits: RateLimits;
  webhooks: WebhookSettings;
  cloneDetection: CloneDetectionSettings;
}

/** The EMVS-style clone rules applied to public scans (libs/scan-alerts, README "Verification"). */
export interface CloneDetectionSettings {
  /** Scans of one serial from different regions within this many minutes cannot be one pack. */
  regionWindowMinutes: number;
  /** More distinct devices than this scanning one serial raise an alert. */
  maxDevices: number;
}

/** Recall notifications POSTed to participants' webhooks (docs/webhooks.md). */
export interface WebhookSettings {
  /** Attempts per notification before it is shown as failed (the first one included). */
  maxAttempts: number;
  /** Delay before the first retry, in ms; doubled on each further retry (exponential backoff). */
  backoffMs: number;
  /** A receiver that has not answered within this many ms counts as a failed attempt. */
  timeoutMs: number;
  /** Deliveries in flight at once per worker: a slow receiver holds one slot, not the queue. */
  concurrency: number;
  /** Deliveries in flight at once per receiver (URL host and port) per worker; one more waits without holding a slot. */
  perHostConcurrency: number;
  /** Whether webhook URLs may point at loopback and private addresses (the embedded default and tests: yes). */
  allowPrivateNetworks: boolean;
}

export interface RequestLimits {
  /** Most cost points one operation may take: each object field costs 1, times the page sizes above it. */
  queryCostBudget: number;
  /** Most aliased fields in one operation. */
  maxAliases: number;
  /** Most nested selection levels. */
  maxDepth: number;
  /** Most tokens in one GraphQL document (bounds parsing work). */
  maxTokens: number;
  /** Largest response body, in bytes. */
  responseMaxBytes: number;
  /** A query still running after this many ms is answered QUERY_TIMEOUT. */
  queryTimeoutMs: number;
}

export interface RateLimits {
  /** Window of every limit below, in ms. */
  windowMs: number;
  /** Public operations that write or verify (sign-in challenges, sign-in, verification) per client address and window. */
  publicPerClient: number;
  /** Public ledger reads (block headers, proofs, keys: what witnesses poll) per client address and window. */
  publicReadsPerClient: number;
  /** Mutations per signed-in participant and window. */
  mutationsPerParticipant: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer (got "${raw}")`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${n})`);
  return n;
}

function urlVar(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL like ${protocols[0]}//host:port/... (got "${raw}")`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')} (got "${url.protocol}")`);
  }
  return raw;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function enumVar<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const dataDirRaw = env.PHARMATRACE_DATA_DIR?.trim() || '.data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const keyRaw = env.LEDGER_KEY_PATH?.trim();
  const host = env.HOST?.trim() || '127.0.0.1';
  const port = intVar(env, 'PORT', 3000, 0, 65535);
  const databaseUrl = urlVar(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const queuePrefix = env.QUEUE_PREFIX?.trim() || 'pharmatrace';
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(queuePrefix)) {
    throw new ConfigError('QUEUE_PREFIX', `must be lowercase letters, digits and _ (got "${queuePrefix}")`);
  }
  const explicitBaseUrl = urlVar(env, 'PUBLIC_BASE_URL', ['http:', 'https:']);
  const publicBaseUrl = explicitBaseUrl ?? `http://${host}:${port}`;
  return {
    host,
    port,
    databaseUrl,
    redisUrl: urlVar(env, 'REDIS_URL', ['redis:', 'rediss:']),
    dataDir,
    embeddedPgPort: intVar(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    clockSkewSeconds: intVar(env, 'CLOCK_SKEW_SECONDS', 300, 1, 86400),
    decommissionUndoDays: intVar(env, 'DECOMMISSION_UNDO_DAYS', 10, 0, 3650),
    ledgerKeyPath: keyRaw ? resolve(cwd, keyRaw) : join(dataDir, 'ledger-key.json'),
    sessionTtlSeconds: intVar(env, 'SESSION_TTL_SECONDS', 900, 30, 86400),
    challengeTtlSeconds: intVar(env, 'CHALLENGE_TTL_SECONDS', 120, 5, 3600),
    queuePrefix,
    seedDemo: boolVar(env, 'SEED_DEMO', databaseUrl === null),
    logLevel: enumVar(env, 'LOG_LEVEL', ['error', 'warn', 'log', 'debug'] as const, 'log'),
    publicBaseUrl,
    publicBaseUrlExplicit: explicitBaseUrl !== null,
    maxBlockEvents: intVar(env, 'LEDGER_MAX_BLOCK_EVENTS', 1000, 1, 1_000_000),
    sealIntervalMs: intVar(env, 'SEAL_INTERVAL_MS', 2000, 100, 3_600_000),
    sealDebounceMs: intVar(env, 'SEAL_DEBOUNCE_MS', 150, 0, 60_000),
    limits: {
      queryCostBudget: intVar(env, 'QUERY_COST_BUDGET', 20_000, 100, 10_000_000),
      maxAliases: intVar(env, 'QUERY_MAX_ALIASES', 20, 1, 1000),
      maxDepth: intVar(env, 'QUERY_MAX_DEPTH', 8, 2, 50),
      maxTokens: intVar(env, 'QUERY_MAX_TOKENS', 2000, 100, 100_000),
      responseMaxBytes: intVar(env, 'RESPONSE_MAX_BYTES', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      queryTimeoutMs: intVar(env, 'QUERY_TIMEOUT_MS', 30_000, 100, 600_000),
    },
    rateLimits: {
      windowMs: intVar(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1000, 3_600_000),
      publicPerClient: intVar(env, 'RATE_LIMIT_PUBLIC_PER_CLIENT', 120, 1, 1_000_000),
      publicReadsPerClient: intVar(env, 'RATE_LIMIT_PUBLIC_READS_PER_CLIENT', 1200, 1, 10_000_000),
      mutationsPerParticipant: intVar(env, 'RATE_LIMIT_MUTATIONS_PER_PARTICIPANT', 1200, 1, 10_000_000),
    },
    webhooks: {
      maxAttempts: intVar(env, 'WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
      backoffMs: intVar(env, 'WEBHOOK_BACKOFF_MS', 5000, 10, 3_600_000),
      timeoutMs: intVar(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 50, 120_000),
      concurrency: intVar(env, 'WEBHOOK_CONCURRENCY', 16, 1, 256),
      perHostConcurrency: intVar(env, 'WEBHOOK_PER_HOST_CONCURRENCY', 2, 1, 256),
      allowPrivateNetworks: boolVar(env, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', databaseUrl === null),
    },
    cloneDetection: {
      regionWindowMinutes: intVar(env, 'CLONE_REGION_WINDOW_MINUTES', 60, 1, 10_080),
      maxDevices: intVar(env, 'CLONE_MAX_DEVICES', 5, 1, 10_000),
    },
  };
}

export function databaseMode(config: AppConfig): DatabaseMode {
  return config.databaseUrl ? 'external' : 'embedded';
}

export function queueMode(config: AppConfig): QueueMode {
  return config.redisUrl ? 'redis' : 'postgres';
}

/** Nest injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
