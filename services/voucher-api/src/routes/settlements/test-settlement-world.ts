import type { FastifyInstance } from 'fastify';
import type { PrivateKeyAccount } from 'viem/accounts';
import { expect } from 'vitest';
import { testConfig } from '../../../test/support/app.ts';
import { buildApp } from '../../app.ts';
import {
  createRedemptionWorld,
  type RedemptionWorld,
  signRedemption,
  type WorldCitizen,
} from '../../redemptions/test-world.ts';
import { claimsOfUsername } from '../../staff/staff-claims.ts';

/**
 * Test-only: the redemption helper's world (demo municipality on a throwaway anvil and
 * database) plus a second app on the same database and chain configured for settlement
 * (small payout chunks, a debtor account). Redemptions go through the real HTTP routes.
 */
export interface SettlementWorld {
  world: RedemptionWorld;
  app: FastifyInstance;
  token(username: string): Promise<string>;
  redeem(args: {
    citizen: WorldCitizen;
    provider: string;
    terminal: PrivateKeyAccount;
    program: string;
    amountOre: bigint;
  }): Promise<void>;
  close(): Promise<void>;
}

/** The test municipality's own account (src/chain/test-fixture.ts), never a provider's. */
export const DEBTOR = { iban: 'DK9520000123456789', bic: 'NDEADKKK' };

export async function createSettlementWorld(
  options: { chunkSize?: number; now?: () => Date } = {},
): Promise<SettlementWorld> {
  const world = await createRedemptionWorld();
  const config = testConfig({
    MASTER_KEY: world.fixture.config.masterKey.toString('hex'),
    SETTLEMENT_CHUNK_SIZE: String(options.chunkSize ?? 2),
    SETTLEMENT_WAIT_MS: '30000',
  });
  const app = await buildApp({ config, db: world.fixture.db, chain: world.gateway, now: options.now });
  await app.ready();
  let nextId = 1n;
  const worldToken = (username: string) => world.staffToken(username);
  return {
    world,
    app,
    async token(username) {
      return app.jwt.sign(await claimsOfUsername(world.deps.db, username));
    },
    async redeem({ citizen, provider, terminal, program, amountOre }) {
      const token = await worldToken(provider);
      const headers = { authorization: `Bearer ${token}` };
      const scan = await world.app.inject({
        method: 'POST',
        url: '/scans',
        headers,
        payload: { pass: citizen.staticPass },
      });
      expect(scan.statusCode, scan.body).toBe(200);
      const id = nextId++;
      const deadline = Math.floor(Date.now() / 1000) + 600;
      const programId = await world.programId(program);
      const providerId = await world.providerId(provider);
      const signature = await signRedemption(
        terminal,
        { chainId: world.gateway.chainId, hub: world.gateway.addresses.hub },
        { id, account: citizen.accountId, program: programId, provider: providerId, amountOre, deadline },
      );
      const response = await world.app.inject({
        method: 'POST',
        url: '/redemptions',
        headers,
        payload: {
          scanId: scan.json().scanId,
          terminal: terminal.address,
          redemptionId: id.toString(),
          programId: programId.toString(),
          amountOre: amountOre.toString(),
          deadline,
          signature,
        },
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().status).toBe('confirmed');
    },
    async close() {
      await app.close();
      await world.close();
    },
  };
}
