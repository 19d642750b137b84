import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLE } from '@voucher/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANVIL_DEV_ADMIN_KEY, ANVIL_DEV_OPERATOR_KEY } from '../src/chain/config.ts';
import type { ChainGateway } from '../src/chain/gateway.ts';
import { startLocalAnvil } from '../src/chain/local-anvil.ts';
import {
  assertOperatorOnlyRelays,
  OperatorRoleError,
  operatorSurplusRoles,
} from '../src/chain/operator-roles.ts';
import { DEVELOPMENT_ADMIN_SIGNER } from '../src/chain/signers.ts';
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
 * The service's own key only relays: no TREASURY_ROLE, FINANCE_OFFICER_ROLE or
 * MUNICIPAL_ADMIN_ROLE in a municipality it serves, no eKrone TREASURY_ROLE (only the hub mints
 * and burns, on officers' passkey signatures), and neither the hub's nor eKrone's admin nor the
 * municipality registrar (which could open a municipality of its own). The API checks the chain
 * at start and refuses.
 */
describe('the operator key only relays, or the API does not start', () => {
  let fixture: ChainFixture;
  let gateway: ChainGateway;
  const dataDirs: string[] = [];

  /** A global role given to or taken from the operator by the (development) platform admin. */
  const globalRole = (contract: 'hub' | 'ekrone', functionName: 'grantRole' | 'revokeRole', role: string) =>
    enqueue(fixture.db, {
      kind: 'test.global-role',
      contract,
      functionName,
      args: [role, '@operator'],
      signer: DEVELOPMENT_ADMIN_SIGNER,
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
        DEVELOPMENT_ADMIN_PRIVATE_KEY: ANVIL_DEV_ADMIN_KEY,
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

  it('finds none after the development admin deployed and set up a municipality', async () => {
    expect(await operatorSurplusRoles(gateway, [TEST_MUNICIPALITY_ID])).toEqual([]);
    await expect(assertOperatorOnlyRelays(gateway, fixture.db)).resolves.toBeUndefined();
  });

  it('names each surplus role and what to do: money and admin roles in a municipality, the platform’s admin, registrar and minter', async () => {
    for (const role of [ROLE.treasury, ROLE.financeOfficer, ROLE.municipalAdmin]) {
      await enqueue(fixture.db, municipalRoleIntent(role, '@operator'));
    }
    await globalRole('ekrone', 'grantRole', ROLE.treasury);
    await globalRole('hub', 'grantRole', ROLE.municipalityRegistrar);
    await drainUntilSettled(gateway, fixture.db);
    const refused = assertOperatorOnlyRelays(gateway, fixture.db);
    await expect(refused).rejects.toBeInstanceOf(OperatorRoleError);
    const message = await refused.catch((error: Error) => error.message);
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^Refusing to start: the operator key holds /);
    for (const role of ['TREASURY_ROLE', 'FINANCE_OFFICER_ROLE', 'MUNICIPAL_ADMIN_ROLE']) {
      expect(message).toContain(`${role} in municipality ${TEST_MUNICIPALITY_ID}`);
    }
    expect(message).toContain("eKrone's TREASURY_ROLE");
    expect(message).toContain("the hub's MUNICIPALITY_REGISTRAR_ROLE");
    expect(message).toContain(gateway.operatorAddress);
    expect(message).toMatch(/revokeMunicipalRole.*revokeRole/);
    // Taken back (the municipal admin role last: the development admin revokes, not the operator).
    for (const role of [ROLE.treasury, ROLE.financeOfficer, ROLE.municipalAdmin]) {
      await enqueue(fixture.db, {
        ...municipalRoleIntent(role, '@operator'),
        functionName: 'revokeMunicipalRole',
      });
    }
    await globalRole('hub', 'revokeRole', ROLE.municipalityRegistrar);
    await drainUntilSettled(gateway, fixture.db);
    expect(await operatorSurplusRoles(gateway, [TEST_MUNICIPALITY_ID])).toEqual([
      `eKrone's TREASURY_ROLE (operator ${gateway.operatorAddress})`,
    ]);
  });

  it('refuses to start while the operator is eKrone treasury, and starts once the role is revoked', async () => {
    await expect(start()).rejects.toThrow(
      /^Refusing to start: the operator key holds eKrone's TREASURY_ROLE/,
    );
    await globalRole('ekrone', 'revokeRole', ROLE.treasury);
    await drainUntilSettled(gateway, fixture.db);
    const api = await start();
    try {
      const health = await fetch(`${api.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await api.stop();
    }
  }, 120_000);

  it('refuses a development admin key on a chain that is not a local anvil', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'voucher-operator-roles-'));
    dataDirs.push(dataDir);
    const other = await startLocalAnvil({ chainId: 1 });
    try {
      await expect(
        startApi({
          config: loadConfig({
            DATA_DIR: dataDir,
            RPC_URL: other.rpcUrl,
            DEPLOYMENT_FILE: fixture.config.deploymentFile,
            OPERATOR_PRIVATE_KEY: ANVIL_DEV_OPERATOR_KEY,
            DEVELOPMENT_ADMIN_PRIVATE_KEY: ANVIL_DEV_ADMIN_KEY,
            SEED_DEMO: 'false',
            PORT: '0',
            LOG_LEVEL: 'silent',
          }),
        }),
      ).rejects.toThrow(/^DEVELOPMENT_ADMIN_PRIVATE_KEY: refused on chain 1;/);
    } finally {
      await other.stop();
    }
  }, 60_000);
});
