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
 * the embedded local chain, where it is the funded deployer and operator out of the box.
 */
export const ANVIL_DEV_OPERATOR_KEY: Hex =
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

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
