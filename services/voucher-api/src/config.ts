import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LoginThrottleSettings } from './auth/login-throttle.ts';

/**
 * The service's whole configuration, read from the environment once at boot and validated
 * with one clear message per wrong or missing value. Nothing else reads `process.env`.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Where people reach the service (printed on letters, links to the apps); no trailing path. */
  readonly publicUrl: string;
  readonly dataDir: string;
  /** PostgreSQL server; undefined means embedded PGlite in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly rpcUrl: string | undefined;
  readonly deploymentFile: string;
  /** The service's chain key (signer 'operator'); required with RPC_URL, anvil's dev key locally. */
  readonly operatorPrivateKey: `0x${string}` | undefined;
  /**
   * A local anvil's platform and municipal admin (see src/chain/config.ts ANVIL_DEV_ADMIN_KEY):
   * anvil's own key on the embedded chain; with RPC_URL only when set, and refused on any chain
   * but anvil's. On a real network the admins are timelocks of named people, and undefined.
   */
  readonly developmentAdminPrivateKey: `0x${string}` | undefined;
  /** How long a caseworker's chain write (a grant) is waited for before answering 'pending'. */
  readonly chainWaitMs: number;
  /** Blocks on top of a transaction's block before it counts; undefined picks the chain's default. */
  readonly chainConfirmations: number | undefined;
  /** 32 bytes; wraps citizens' data keys and staff/provider chain keys. */
  readonly masterKey: Buffer;
  readonly jwtSecret: string;
  /** Ed25519 private key, PKCS8 DER, base64. */
  readonly passSigningKey: string;
  readonly logLevel: LogLevel;
  /** Seed the demo municipality at start (default only on the embedded database). */
  readonly seedDemo: boolean;
  readonly jwt: {
    readonly issuer: string;
    readonly audience: string;
    readonly accessTokenTtlSeconds: number;
  };
  /** How long POST /redemptions waits for the chain before answering 202 with a status URL. */
  readonly redemptionWaitMs: number;
  readonly rateLimit: {
    readonly perMinute: number;
    readonly loginPerMinute: number;
    /** Scans one provider's staff may make a minute, all counters together (POST /scans). */
    readonly scansPerProviderPerMinute: number;
    /** Times one citizen's pass (printed or phone) may be scanned a minute, at all providers. */
    readonly scansPerPassPerMinute: number;
  };
  /** Growing waits for a client that keeps failing to sign in as one username (src/auth/login-throttle.ts). */
  readonly loginThrottle: LoginThrottleSettings;
  readonly settlement: SettlementConfig;
  readonly webauthn: WebAuthnConfig;
  /** Problems that do not stop the service but someone must know about (dev keys). */
  readonly warnings: readonly string[];
}

/** Settlement batches and the bank file (see src/settlement, src/bank-file). */
export interface SettlementConfig {
  /** Providers per on-chain payout transaction (the 200-provider batch is ~7.6M gas). */
  readonly chunkSize: number;
  /** How long a settlement request waits for the chain before answering 202. */
  readonly waitMs: number;
}

/** Staff passkeys (src/passkeys): where they are valid, and whether demo keys are. */
export interface WebAuthnConfig {
  /** The relying party id passkeys are bound to: the console's host name (or a parent domain). */
  readonly rpId: string;
  /** The name an authenticator shows when a passkey is made. */
  readonly rpName: string;
  /** Origins a passkey ceremony may come from (the console's); no trailing path. */
  readonly origins: readonly string[];
  /**
   * The embedded demo on localhost also takes http://localhost on any port: a stack started
   * with PORT=0 (the e2e tests) only learns its port once it listens.
   */
  readonly anyLocalhostPort: boolean;
  /**
   * Accept keys the console made itself with WebCrypto where the browser has no authenticator.
   * Such a key is only as safe as the browser profile it sits in, so it is for the embedded
   * demo and tests; a production deployment refuses it.
   */
  readonly allowDevelopmentKeys: boolean;
  /** How long an enrolment challenge stays usable. */
  readonly challengeTtlSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const dataDir = resolve(read.optional('DATA_DIR') ?? '.data');
  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const embedded = databaseUrl === undefined;
  const secrets = readSecrets(read, dataDir, embedded, problems);
  const rpcUrl = read.url('RPC_URL', ['http:', 'https:', 'ws:', 'wss:']);
  const deploymentFile = read.optional('DEPLOYMENT_FILE');
  if (rpcUrl && !deploymentFile) {
    problems.push('DEPLOYMENT_FILE: required with RPC_URL (the contract addresses on that chain)');
  }
  const operatorPrivateKey = read.optional('OPERATOR_PRIVATE_KEY');
  if (operatorPrivateKey !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(operatorPrivateKey)) {
    problems.push('OPERATOR_PRIVATE_KEY: must be 0x followed by 64 hex digits');
  }
  const developmentAdminPrivateKey = read.optional('DEVELOPMENT_ADMIN_PRIVATE_KEY');
  if (developmentAdminPrivateKey !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(developmentAdminPrivateKey)) {
    problems.push('DEVELOPMENT_ADMIN_PRIVATE_KEY: must be 0x followed by 64 hex digits');
  }
  if (rpcUrl && operatorPrivateKey === undefined) {
    problems.push('OPERATOR_PRIVATE_KEY: required with RPC_URL (the key that signs as the service)');
  }
  const port = read.integer('PORT', 3000, 0, 65535);
  const publicUrl = new URL(read.url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`);
  const config: Config = {
    port,
    host: read.optional('HOST') ?? '127.0.0.1',
    publicUrl: publicUrl.origin,
    dataDir,
    databaseUrl,
    rpcUrl,
    deploymentFile: resolve(deploymentFile ?? join(dataDir, 'deployment.json')),
    operatorPrivateKey: operatorPrivateKey as `0x${string}` | undefined,
    developmentAdminPrivateKey: developmentAdminPrivateKey as `0x${string}` | undefined,
    chainWaitMs: read.integer('CHAIN_WAIT_MS', 3000, 0, 60_000),
    chainConfirmations:
      read.optional('CHAIN_CONFIRMATIONS') === undefined
        ? undefined
        : read.integer('CHAIN_CONFIRMATIONS', 0, 0, 1000),
    ...secrets.values,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    seedDemo: read.boolean('SEED_DEMO', embedded),
    jwt: Object.freeze({ issuer: 'voucher-api', audience: 'voucher-api', accessTokenTtlSeconds: 15 * 60 }),
    redemptionWaitMs: read.integer('REDEMPTION_WAIT_MS', 3000, 0, 60_000),
    rateLimit: Object.freeze({
      perMinute: read.integer('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
      loginPerMinute: read.integer('LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 1_000_000),
      // A busy counter scans a few passes a minute per till; 120 leaves room for a club's
      // Saturday queue on several tills. One pass is shown once or twice per purchase.
      scansPerProviderPerMinute: read.integer('SCAN_LIMIT_PER_PROVIDER_PER_MINUTE', 120, 1, 1_000_000),
      scansPerPassPerMinute: read.integer('SCAN_LIMIT_PER_PASS_PER_MINUTE', 10, 1, 1_000_000),
    }),
    loginThrottle: Object.freeze({
      freeFailures: read.integer('LOGIN_FREE_FAILURES', 3, 1, 100),
      firstDelaySeconds: read.integer('LOGIN_FIRST_DELAY_SECONDS', 1, 1, 3600),
      maxDelaySeconds: read.integer('LOGIN_MAX_DELAY_SECONDS', 15 * 60, 1, 86_400),
    }),
    settlement: readSettlementConfig(read),
    webauthn: readWebAuthnConfig(read, publicUrl, embedded, secrets.warnings),
    warnings: Object.freeze(secrets.warnings),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  problem(text: string): void {
    this.problems.push(text);
  }

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.optional(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      this.problems.push(`${name}: must be a whole number from ${min} to ${max}, got "${text}"`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const text = this.optional(name)?.toLowerCase();
    if (text === undefined) return fallback;
    if (['1', 'true', 'yes'].includes(text)) return true;
    if (['0', 'false', 'no'].includes(text)) return false;
    this.problems.push(`${name}: must be true or false, got "${text}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const text = this.optional(name);
    if (text === undefined) return fallback;
    if ((allowed as readonly string[]).includes(text)) return text as T;
    this.problems.push(`${name}: must be one of ${allowed.join(', ')}, got "${text}"`);
    return fallback;
  }

  /** Never echoes the value: URLs may carry passwords. */
  url(name: string, protocols: readonly string[]): string | undefined {
    const text = this.optional(name);
    if (text === undefined) return undefined;
    try {
      if (protocols.includes(new URL(text).protocol)) return text;
    } catch {
      // reported below
    }
    this.problems.push(`${name}: must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    return undefined;
  }
}

// Each municipality's own bank account (the bank file's debtor) is kept on the municipality
// (PUT /municipality/bank-account), never in one setting shared by all.
function readSettlementConfig(read: EnvReader): SettlementConfig {
  return Object.freeze({
    chunkSize: read.integer('SETTLEMENT_CHUNK_SIZE', 50, 1, 200),
    waitMs: read.integer('SETTLEMENT_WAIT_MS', 15_000, 0, 600_000),
  });
}

// The Vite dev server's own origin (apps/municipal-console `npm run dev`), which proxies the API.
const CONSOLE_DEV_ORIGIN = 'http://localhost:5173';

/**
 * By default passkeys belong to the host people reach the service at (PUBLIC_URL), which also
 * serves the console under /console/. The embedded demo also accepts the console's Vite dev
 * server. Development keys default to on only there: with DATABASE_URL (production) they are
 * off unless switched on explicitly, which is warned about.
 */
function readWebAuthnConfig(
  read: EnvReader,
  publicUrl: URL,
  embedded: boolean,
  warnings: string[],
): WebAuthnConfig {
  const rpId = (read.optional('WEBAUTHN_RP_ID') ?? publicUrl.hostname).toLowerCase();
  const listed = read.optional('WEBAUTHN_ORIGINS');
  const origins = listed
    ? listed.split(',').flatMap((text) => originOf(read, text.trim()))
    : [
        publicUrl.origin,
        ...(embedded && publicUrl.origin !== CONSOLE_DEV_ORIGIN ? [CONSOLE_DEV_ORIGIN] : []),
      ];
  for (const origin of origins) {
    const host = new URL(origin).hostname;
    if (host !== rpId && !host.endsWith(`.${rpId}`)) {
      read.problem(`WEBAUTHN_ORIGINS: ${origin} is not on WEBAUTHN_RP_ID ${rpId} or a subdomain of it`);
    }
  }
  const allowDevelopmentKeys = read.boolean('WEBAUTHN_ALLOW_DEVELOPMENT_KEYS', embedded);
  if (allowDevelopmentKeys && !embedded) {
    warnings.push(
      'WEBAUTHN_ALLOW_DEVELOPMENT_KEYS is on with DATABASE_URL: staff may enrol browser-held development keys. Never use this in production.',
    );
  }
  return Object.freeze({
    rpId,
    rpName: read.optional('WEBAUTHN_RP_NAME') ?? 'Kommunale værdikuponer',
    origins: Object.freeze(origins),
    anyLocalhostPort: embedded && listed === undefined && rpId === 'localhost',
    allowDevelopmentKeys,
    challengeTtlSeconds: read.integer('WEBAUTHN_CHALLENGE_TTL_SECONDS', 300, 30, 3600),
  });
}

function originOf(read: EnvReader, text: string): string[] {
  try {
    const url = new URL(text);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text.replace(/\/$/, '')) {
      return [url.origin];
    }
  } catch {
    // reported below
  }
  read.problem(`WEBAUTHN_ORIGINS: "${text}" must be an origin such as https://konsol.example.dk (no path)`);
  return [];
}

interface Secrets {
  values: Pick<Config, 'masterKey' | 'jwtSecret' | 'passSigningKey'>;
  warnings: string[];
}

interface DevSecretsFile {
  MASTER_KEY: string;
  JWT_SECRET: string;
  PASS_SIGNING_KEY: string;
}

/**
 * Secrets come from the environment. Only on the embedded default (no DATABASE_URL, i.e. a
 * developer's machine) are missing ones generated once into DATA_DIR/dev-secrets.json, so a
 * restart keeps opening the same vault; on a real database a missing secret is an error.
 */
function readSecrets(read: EnvReader, dataDir: string, embedded: boolean, problems: string[]): Secrets {
  const given = {
    MASTER_KEY: read.optional('MASTER_KEY'),
    JWT_SECRET: read.optional('JWT_SECRET'),
    PASS_SIGNING_KEY: read.optional('PASS_SIGNING_KEY'),
  };
  const warnings: string[] = [];
  const missing = (Object.keys(given) as (keyof DevSecretsFile)[]).filter(
    (name) => given[name] === undefined,
  );
  let dev: DevSecretsFile | undefined;
  if (missing.length > 0 && embedded) {
    dev = loadOrCreateDevSecrets(dataDir);
    warnings.push(
      `${missing.join(', ')} not set: using development keys from ${join(dataDir, 'dev-secrets.json')}. Never use them in production.`,
    );
  } else {
    for (const name of missing) problems.push(`${name}: required when DATABASE_URL is set`);
  }
  const masterKeyHex = given.MASTER_KEY ?? dev?.MASTER_KEY ?? '';
  const jwtSecret = given.JWT_SECRET ?? dev?.JWT_SECRET ?? '';
  const passSigningKey = given.PASS_SIGNING_KEY ?? dev?.PASS_SIGNING_KEY ?? '';
  if (masterKeyHex && !/^[0-9a-fA-F]{64}$/.test(masterKeyHex)) {
    problems.push('MASTER_KEY: must be 32 bytes as 64 hex characters');
  }
  if (jwtSecret && jwtSecret.length < 32) problems.push('JWT_SECRET: must be at least 32 characters');
  if (passSigningKey && !isEd25519Pkcs8(passSigningKey)) {
    problems.push('PASS_SIGNING_KEY: must be an Ed25519 private key, PKCS8 DER, base64');
  }
  return { values: { masterKey: Buffer.from(masterKeyHex, 'hex'), jwtSecret, passSigningKey }, warnings };
}

function loadOrCreateDevSecrets(dataDir: string): DevSecretsFile {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecretsFile;
  const { privateKey } = generateKeyPairSync('ed25519');
  const secrets: DevSecretsFile = {
    MASTER_KEY: randomBytes(32).toString('hex'),
    JWT_SECRET: randomBytes(48).toString('base64url'),
    PASS_SIGNING_KEY: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return secrets;
}

// Ed25519 PKCS8 DER is always 48 bytes starting with this fixed header.
const ED25519_PKCS8_PREFIX = '302e020100300506032b657004220420';

function isEd25519Pkcs8(base64: string): boolean {
  const der = Buffer.from(base64, 'base64');
  return der.length === 48 && der.subarray(0, 16).toString('hex') === ED25519_PKCS8_PREFIX;
}
