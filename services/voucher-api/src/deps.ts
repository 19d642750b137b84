import type { Database } from '@voucher/db';
import type { ChainGateway } from './chain/gateway.ts';
import type { Config } from './config.ts';

/** What the chain gateway reports for /readyz; absent means "no chain configured yet". */
export type ChainHealth = () => Promise<{ ok: boolean; detail?: string }>;

/** Everything the app needs from outside, so tests can build it on PGlite or PostgreSQL. */
export interface AppDeps {
  config: Config;
  db: Database;
  chainHealth?: ChainHealth;
  /** The chain gateway (outbox waits, contract reads); absent when the API runs without a chain. */
  chain?: ChainGateway;
  /** The clock; tests move it to expire codes and tokens. */
  now?: () => Date;
}

/** What domain actions receive as their first argument. */
export interface DomainDeps {
  config: Config;
  db: Database;
  now: () => Date;
  /** Undefined without a chain: actions that need it answer CHAIN_UNAVAILABLE. */
  chain: ChainGateway | undefined;
}
