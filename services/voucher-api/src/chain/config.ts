import type { Hex } from 'viem';

/**
 * What the chain gateway reads from the service configuration. A's `Config` satisfies it;
 * the two optional fields are `OPERATOR_PRIVATE_KEY` and `CHAIN_CONFIRMATIONS`.
 */
export interface ChainGatewayConfig {
  readonly dataDir: string;
  /** An existing chain; undefined means the embedded local anvil in `dataDir`. */
  readonly rpcUrl: string | undefined;
  /** The deployment file: read with `rpcUrl`, written by the embedded bootstrap. */
  readonly deploymentFile: string;
  /** Unwraps staff users' chain keys at signing time. */
  readonly masterKey: Buffer;
  /** The service's own key (signer 'operator'); required with `rpcUrl`. */
  readonly operatorPrivateKey?: Hex | undefined;
  /** Blocks on top of a transaction's block before it counts as confirmed. */
  readonly chainConfirmations?: number | undefined;
  /**
   * A local development chain's platform and municipal admin (signer 'development-admin').
   * Undefined on a real network, where the admins are timelocks of named people.
   */
  readonly developmentAdminPrivateKey?: Hex | undefined;
}

/** Anything with pino's call shape; the gateway logs ids, hashes and counts, never personal data. */
export interface ChainLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/**
 * anvil's first development account (from its public default mnemonic). Only ever used on
 * the embedded local chain, where it is the funded operator out of the box (it relays; it is
 * admin of nothing).
 */
export const ANVIL_DEV_OPERATOR_KEY: Hex =
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

/**
 * anvil's second development account: on a local chain, the key that deploys the contracts and
 * acts as platform admin (creates municipalities) and as each municipality's admin (hands out
 * roles, approves officers' passkeys). Never the operator: the service's own key only relays.
 * On a real network these are timelocks of named people (contracts/deploy/cli.ts).
 */
export const ANVIL_DEV_ADMIN_KEY: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

/** anvil's chain id: the only chain a development admin key is accepted on. */
export const LOCAL_DEVELOPMENT_CHAIN_ID = 31337;

/** On anvil a block is final when mined; on a real network wait a little by default. */
export const DEFAULT_CONFIRMATIONS = { embedded: 0, remote: 2 } as const;

export function operatorKeyFor(config: ChainGatewayConfig): Hex {
  if (config.operatorPrivateKey) return config.operatorPrivateKey;
  if (config.rpcUrl) {
    throw new Error('OPERATOR_PRIVATE_KEY: required with RPC_URL (the key that signs as the service)');
  }
  return ANVIL_DEV_OPERATOR_KEY;
}

export function confirmationsFor(config: ChainGatewayConfig): number {
  return (
    config.chainConfirmations ??
    (config.rpcUrl ? DEFAULT_CONFIRMATIONS.remote : DEFAULT_CONFIRMATIONS.embedded)
  );
}

/**
 * The development admin's key: the one configured, or anvil's when the service runs its own
 * embedded chain. Undefined with RPC_URL unless configured (and then only on anvil's chain id,
 * checked when the gateway starts).
 */
export function developmentAdminKeyFor(config: ChainGatewayConfig): Hex | undefined {
  if (config.developmentAdminPrivateKey) return config.developmentAdminPrivateKey;
  return config.rpcUrl ? undefined : ANVIL_DEV_ADMIN_KEY;
}

/**
 * Whether the development admin acts as platform and municipal admin here (a local chain), or
 * named people's timelocks do (a real network): decides who sets up municipalities and approves
 * officers' passkeys.
 */
export type AdminsOnChain = 'development-admin' | 'named-admins';

export function adminsOnChainFor(config: ChainGatewayConfig): AdminsOnChain {
  return developmentAdminKeyFor(config) ? 'development-admin' : 'named-admins';
}
