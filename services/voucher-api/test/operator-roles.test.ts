import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLE } from '@voucher/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANVIL_DEV_OPERATOR_KEY } from '../src/chain/config.ts';
import type { ChainGateway } from '../src/chain/gateway.ts';
import {
  assertOperatorHoldsNoMoneyRoles,
  OperatorRoleError,
  operatorMoneyRoles,
} from '../src/chain/operator-roles.ts';
import {
  type ChainFixture,
  createChainFixture,
  drainUntilSettled,
  enqueue,
  municipalRoleIntent,
  TEST_MUNICIPALITY_ID,
} from '../src/chain/test-fixture.ts';
import { loadConfig } from '../src/config.ts';
import { startApi } from '../src/server.ts';

/**
 * The service's own key must hold no role that moves money: no TREASURY_ROLE or
 * FINANCE_OFFICER_ROLE in a municipality it serves, no eKrone TREASURY_ROLE (only the hub mints
 * and burns, on officers' passkey signatures). The API checks the chain at start and refuses.
 */
describe('the operator key holds no money role, or the API does not start', () => {
  let fixture: ChainFixture;
  let gateway: ChainGateway;
  const dataDirs: string[] = [];

  const ekroneRole = (functionName: 'grantRole' | 'revokeRole') =>
    enqueue(fixture.db, {
      kind: 'test.ekrone-role',
      contract: 'ekrone',
      functionName,
      args: [ROLE.treasury, '@operator'],
    });

  /** The API as `npm start` runs it, on the fixture's chain and a fresh embedded database. */
  const start = () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'voucher-operator-roles-'));
    dataDirs.push(dataDir);
    return startApi({
      config: loadConfig({
        DATA_DIR: dataDir,
        RPC_URL: fixture.config.rpcUrl,
        DEPLOYMENT_FILE: fixture.config.deploymentFile,
        OPERATOR_PRIVATE_KEY: ANVIL_DEV_OPERATOR_KEY,
        CHAIN_CONFIRMATIONS: '0',
        SEED_DEMO: 'false',
        PORT: '0',
        LOG_LEVEL: 'silent',
      }),
    });
  };

  beforeAll(async () => {
    fixture = await createChainFixture();
    gateway = await fixture.gateway();
    await drainUntilSettled(gateway, fixture.db);
  }, 120_000);
  afterAll(async () => {
    await fixture?.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('finds none after the service set up a municipality and deployed itself', async () => {
    expect(await operatorMoneyRoles(gateway, [TEST_MUNICIPALITY_ID])).toEqual([]);
    await expect(assertOperatorHoldsNoMoneyRoles(gateway, fixture.db)).resolves.toBeUndefined();
  });

  it('names each surplus role and what to do: a municipality’s treasury and finance officer roles, the eKrone treasury', async () => {
    await enqueue(fixture.db, municipalRoleIntent(ROLE.treasury, '@operator'));
    await enqueue(fixture.db, municipalRoleIntent(ROLE.financeOfficer, '@operator'));
    await ekroneRole('grantRole');
    await drainUntilSettled(gateway, fixture.db);
    const refused = assertOperatorHoldsNoMoneyRoles(gateway, fixture.db);
    await expect(refused).rejects.toBeInstanceOf(OperatorRoleError);
    const message = await refused.catch((error: Error) => error.message);
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^Refusing to start: the operator key holds /);
    expect(message).toContain(`TREASURY_ROLE in municipality ${TEST_MUNICIPALITY_ID}`);
    expect(message).toContain(`FINANCE_OFFICER_ROLE in municipality ${TEST_MUNICIPALITY_ID}`);
    expect(message).toContain("eKrone's TREASURY_ROLE");
    expect(message).toContain(gateway.operatorAddress);
    expect(message).toMatch(/revokeMunicipalRole.*revokeRole/);
    // Taken back, the municipality is clean again.
    await enqueue(fixture.db, {
      ...municipalRoleIntent(ROLE.treasury, '@operator'),
      functionName: 'revokeMunicipalRole',
    });
    await enqueue(fixture.db, {
      ...municipalRoleIntent(ROLE.financeOfficer, '@operator'),
      functionName: 'revokeMunicipalRole',
    });
    await drainUntilSettled(gateway, fixture.db);
    expect(await operatorMoneyRoles(gateway, [TEST_MUNICIPALITY_ID])).toEqual([
      `eKrone's TREASURY_ROLE (operator ${gateway.operatorAddress})`,
    ]);
  });

  it('refuses to start while the operator is eKrone treasury, and starts once the role is revoked', async () => {
    await expect(start()).rejects.toThrow(
      /^Refusing to start: the operator key holds eKrone's TREASURY_ROLE/,
    );
    await ekroneRole('revokeRole');
    await drainUntilSettled(gateway, fixture.db);
    const api = await start();
    try {
      const health = await fetch(`${api.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await api.stop();
    }
  }, 120_000);
});
