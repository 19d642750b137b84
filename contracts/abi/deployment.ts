import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Address, Hex } from 'viem';

/** Where the contracts live on one chain; written by the deploy script, read by the API. */
export interface Deployment {
  chainId: number;
  ekrone: Address;
  voucherHub: Address;
  deployedAtBlock: string;
  deployer: Address;
  transactions: Hex[];
}

export function writeDeployment(file: string, deployment: Deployment): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(deployment, null, 2)}\n`);
}

export function readDeployment(file: string): Deployment {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Deployment>;
  for (const key of ['chainId', 'ekrone', 'voucherHub', 'deployedAtBlock'] as const) {
    if (parsed[key] === undefined) throw new Error(`deployment file ${file} has no "${key}"`);
  }
  return parsed as Deployment;
}
