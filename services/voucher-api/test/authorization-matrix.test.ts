import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/claims.ts';
import {
  createSettlementWorld,
  type SettlementWorld,
} from '../src/routes/settlements/test-settlement-world.ts';
import { claimsOfUsername } from '../src/staff/staff-claims.ts';

/**
 * The authorization matrix: every route the API registers (its OpenAPI table) × every role ×
 * its own municipality's object or another's. Who may call a route is written here by hand,
 * as the rule a reviewer reads; the test asks the running API (real PostgreSQL or PGlite, real
 * contracts) and fails for a route that has no entry, so a new route cannot ship unreviewed.
 *
 *   - a caller without a token gets 401 and a role not listed gets 403, before the body is read;
 *     a listed role is never refused (an empty body gets 400, which is past the wall);
 *   - a listed role naming another municipality's (or another provider's) object gets 404,
 *     exactly like a missing one, so existence is never revealed;
 *   - a listed role reading its own object gets 200.
 */
type Access = 'public' | 'any-signed-in' | readonly Role[];
type ObjectKind = 'citizen' | 'program' | 'provider' | 'terminal' | 'staff';
interface Entry {
  access: Access;
  /** Which path parameter names a tenant's object: checked for own (GET: 200) and other (404). */
  object?: ObjectKind;
  /** A body that passes validation, so the other-municipality check reaches the handler. */
  body?: (objects: Objects) => object;
  /** A query string the route requires. */
  query?: string;
}
interface Objects {
  citizen: string;
  program: string;
  provider: string;
  terminal: string;
  period: string;
  /** A finance officer of the municipality (whose passkeys the admin may see). */
  staff: string;
}

const MUNICIPAL: readonly Role[] = ['admin', 'caseworker', 'finance', 'auditor'];
const FINANCE_READERS: readonly Role[] = ['finance', 'admin', 'auditor'];
const ALL_ROLES: readonly Role[] = [
  'admin',
  'caseworker',
  'finance',
  'auditor',
  'provider_staff',
  'citizen',
  'operator',
];

/** A signed relay's fields that pass validation (the signature itself is checked past the wall). */
const SIGNED = () => ({
  deadline: 1,
  assertion: { credentialId: 'AA', authenticatorData: 'AA', clientDataJSON: 'AA', signature: 'AA' },
});

const MATRIX: Record<string, Entry> = {
  'GET /healthz': { access: 'public' },
  'GET /readyz': { access: 'public' },
  'POST /auth/login': { access: 'public' },
  'GET /.well-known/voucher-pass-keys.json': { access: 'public' },
  'GET /public/chain': { access: 'public' },
  'GET /public/spending': { access: 'public' },
  'GET /public/municipalities': { access: 'public' },
  'GET /offers': { access: 'public' },
  'POST /activation': { access: 'public' },
  'POST /activation/session': { access: 'public' },
  'POST /terminals': { access: 'public' },
  'POST /activation/device': { access: ['citizen'] },
  'GET /me/vouchers': { access: ['citizen'] },
  'GET /me/pass': { access: ['citizen'] },
  'GET /me/history': { access: ['citizen'] },
  'POST /passes/verify': { access: ['provider_staff', 'caseworker', 'admin'] },
  'GET /platform/health': { access: ['operator'] },
  'POST /platform/municipalities': { access: ['operator'] },
  'POST /staff': { access: ['admin'] },
  // Staff passkeys: every console user enrols, lists and revokes their own; the admin sees an
  // officer's keys (to grant their addresses the officer's role on chain). passkeys.test.ts.
  'POST /staff/me/passkeys/registration-options': { access: MUNICIPAL },
  'POST /staff/me/passkeys': { access: MUNICIPAL },
  'GET /staff/me/passkeys': { access: MUNICIPAL },
  'DELETE /staff/me/passkeys/{id}': { access: MUNICIPAL },
  'GET /staff/{id}/passkeys': { access: ['admin'], object: 'staff' },
  // What the municipality's named admins must still approve on chain. awaiting-admins.test.ts.
  'GET /staff/passkeys/awaiting-admins': { access: ['admin'] },
  'GET /municipality': { access: MUNICIPAL },
  'GET /municipality/bank-account': { access: FINANCE_READERS },
  'PUT /municipality/bank-account': { access: ['admin'] },
  'POST /citizens': { access: ['caseworker'] },
  'POST /citizens/lookup': { access: ['caseworker'] },
  'GET /citizens/{id}': { access: ['caseworker'], object: 'citizen' },
  'GET /citizens/{id}/eligibility': { access: ['caseworker'], object: 'citizen' },
  'POST /citizens/{id}/grants': {
    access: ['caseworker'],
    object: 'citizen',
    body: (o) => ({ programId: o.program }),
  },
  'POST /citizens/{id}/passes/reissue': { access: ['caseworker'], object: 'citizen', body: () => ({}) },
  'POST /citizens/{id}/letter': { access: ['caseworker'], object: 'citizen', body: () => ({}) },
  'GET /citizens/{id}/passes/current.png': { access: ['caseworker'], object: 'citizen' },
  'GET /citizens/{id}/passes/current.svg': { access: ['caseworker'], object: 'citizen' },
  'GET /citizens/{id}/export': { access: ['caseworker'], object: 'citizen' },
  'POST /citizens/{id}/erase': { access: ['caseworker'], object: 'citizen', body: () => ({}) },
  'POST /programs': { access: ['admin'] },
  'GET /programs': { access: 'any-signed-in' },
  'POST /programs/{id}/funding/challenge': {
    access: ['finance'],
    object: 'program',
    body: () => ({ amountOre: '100', requestId: crypto.randomUUID() }),
  },
  'POST /programs/{id}/funding': {
    access: ['finance'],
    object: 'program',
    body: () => ({ amountOre: '100', requestId: crypto.randomUUID(), ...SIGNED() }),
  },
  'GET /programs/{id}/fundings': { access: FINANCE_READERS, object: 'program' },
  'POST /programs/{id}/publish': { access: ['admin'], object: 'program', body: () => ({}) },
  'POST /programs/{id}/bulk-grant': { access: ['caseworker'], object: 'program', body: () => ({}) },
  'POST /programs/{id}/reclaim/challenge': { access: ['finance'], object: 'program', body: () => ({}) },
  'POST /programs/{id}/reclaim': { access: ['finance'], object: 'program', body: SIGNED },
  'POST /providers': { access: ['admin'] },
  'GET /providers': { access: [...MUNICIPAL, 'provider_staff'] },
  'GET /providers/{id}': { access: [...MUNICIPAL, 'provider_staff'], object: 'provider' },
  'POST /providers/admissions': { access: ['admin'] },
  'POST /providers/{id}/approve': { access: ['admin'], object: 'provider', body: () => ({}) },
  'POST /providers/{id}/staff': {
    access: ['admin'],
    object: 'provider',
    body: () => ({ username: `matrix.${Date.now()}`, password: 'correct-horse-battery' }),
  },
  'POST /providers/{id}/pairing-codes': {
    access: ['provider_staff', 'admin'],
    object: 'provider',
    body: () => ({}),
  },
  'GET /providers/{id}/terminals': { access: ['provider_staff', 'admin'], object: 'provider' },
  'POST /providers/{id}/offers': {
    access: ['provider_staff', 'admin'],
    object: 'provider',
    body: () => ({ title: 'Prøvetime', category: 'sport', priceOre: '5000' }),
  },
  'GET /providers/{id}/redemptions': {
    access: ['provider_staff', ...FINANCE_READERS],
    object: 'provider',
    query: '?date=2027-01-04',
  },
  'GET /providers/{id}/statements': { access: ['provider_staff', ...FINANCE_READERS], object: 'provider' },
  'GET /providers/{id}/statements/{periodId}': {
    access: ['provider_staff', ...FINANCE_READERS],
    object: 'provider',
  },
  'DELETE /terminals/{address}': { access: ['provider_staff', 'admin'], object: 'terminal' },
  'GET /terminals/{address}/redemption-cursor': { access: ['provider_staff'], object: 'terminal' },
  'POST /scans': { access: ['provider_staff'] },
  'POST /redemptions': { access: ['provider_staff'] },
  // A terminal's redemption ids are its own counter: another terminal's answers 404 like a missing one.
  'GET /redemptions/status/{terminal}/{redemptionId}': { access: ['provider_staff'] },
  // Void and refund: the redemption's provider gives back; its municipality's staff follow it.
  // Another provider's or municipality's redemption answers 404 like a missing one (corrections.test.ts).
  'POST /redemptions/{terminal}/{redemptionId}/reversals': { access: ['provider_staff'] },
  'GET /redemptions/{terminal}/{redemptionId}/reversals': {
    access: ['provider_staff', 'caseworker', ...FINANCE_READERS],
  },
  'GET /periods': { access: FINANCE_READERS },
  // Officers sign money steps with their own passkeys: a challenge, then the signed relay.
  'POST /periods/close/challenge': { access: ['finance'] },
  'POST /periods/close': { access: ['finance'] },
  'GET /periods/{id}/statements': { access: FINANCE_READERS },
  'GET /periods/{id}/reconciliation': { access: FINANCE_READERS },
  'GET /periods/{id}/corrections': { access: FINANCE_READERS },
  // Receivables: what providers owe from refunds beyond their claims; the treasury settles them.
  'GET /providers/receivables': { access: ['finance', 'admin'] },
  'POST /providers/{id}/receivable/settle/challenge': {
    access: ['finance'],
    object: 'provider',
    body: () => ({ amountOre: '100', requestId: crypto.randomUUID() }),
  },
  'POST /providers/{id}/receivable/settle': {
    access: ['finance'],
    object: 'provider',
    body: () => ({ amountOre: '100', requestId: crypto.randomUUID(), ...SIGNED() }),
  },
  // Disputes: the citizen or their caseworker flags a redemption, its provider's staff see it
  // (without personal data), the municipality's caseworkers decide (disputes.test.ts).
  'POST /me/redemptions/{terminal}/{redemptionId}/dispute': { access: ['citizen'] },
  'GET /me/disputes': { access: ['citizen'] },
  'POST /citizens/{id}/redemptions/{terminal}/{redemptionId}/dispute': {
    access: ['caseworker'],
    object: 'citizen',
    body: () => ({ reason: 'not_mine' }),
  },
  'GET /disputes': { access: ['caseworker', 'finance'] },
  'GET /providers/{id}/disputes': { access: ['provider_staff'], object: 'provider' },
  'POST /disputes/{id}/decision': { access: ['caseworker'] },
  'POST /settlements/challenge': { access: ['finance'] },
  'POST /settlements': { access: ['finance'] },
  'GET /settlements': { access: FINANCE_READERS },
  'GET /settlements/{id}': { access: FINANCE_READERS },
  'POST /settlements/{id}/approve/challenge': { access: ['finance'] },
  'POST /settlements/{id}/approve': { access: ['finance'] },
  'POST /settlements/{id}/execute': { access: ['finance'] },
  'GET /settlements/{id}/bank-file': { access: ['finance'] },
  // The officer's passkey-signed confirmation that the bank paid: the hub burns the eKrone.
  'POST /settlements/{id}/bank-confirmation/challenge': { access: ['finance'] },
  'POST /settlements/{id}/bank-confirmation': {
    access: ['finance'],
    body: () => ({ providerIds: [1], ...SIGNED() }),
  },
  'GET /settlements/{id}/statement.csv': { access: FINANCE_READERS },
  // The bank's camt.054/camt.053 answer: finance imports it, finance readers follow it. Another
  // municipality's import answers 404 like a missing one (bank-notifications.test.ts).
  'POST /bank-notifications': { access: ['finance'] },
  'GET /bank-notifications': { access: FINANCE_READERS },
  'GET /bank-notifications/{id}': { access: FINANCE_READERS },
};

function entryOf(route: string): Entry {
  const entry = MATRIX[route];
  if (!entry) throw new Error(`${route} has no matrix entry`);
  return entry;
}

/** Demo Kommune's login for each role; the provider's staff work for Demo Idrætsforening. */
const LOGIN: Record<Exclude<Role, 'citizen' | 'operator'>, string> = {
  admin: 'demo.admin',
  caseworker: 'demo.caseworker',
  finance: 'demo.finance1',
  auditor: 'demo.auditor',
  provider_staff: 'demo.sport',
};

describe('authorization matrix: every route × every role × own or other municipality', () => {
  let s: SettlementWorld;
  const tokens = new Map<Role, string>();
  let own: Objects;
  let other: Objects;
  let routes: string[];

  beforeAll(async () => {
    s = await createSettlementWorld();
    for (const [role, username] of Object.entries(LOGIN)) tokens.set(role as Role, await s.token(username));
    tokens.set('operator', s.app.jwt.sign({ sub: 'matrix-operator', role: 'operator', municipalityId: 0 }));
    const citizen = await s.world.citizen(['Fritidspas 2027']);
    tokens.set(
      'citizen',
      s.app.jwt.sign({
        sub: citizen.accountId,
        role: 'citizen',
        municipalityId: 101,
        accountId: citizen.accountId,
      }),
    );
    own = {
      citizen: citizen.citizenId,
      program: (await s.world.programId('Fritidspas 2027')).toString(),
      provider: String(await s.world.providerId('demo.sport')),
      terminal: (await s.world.terminal('demo.sport')).address,
      period: '1',
      staff: (await claimsOfUsername(s.world.deps.db, 'demo.finance1')).sub,
    };
    const naboCitizen = await s.world.citizen(['Fritidspas Nabo 2027'], { caseworker: 'nabo.caseworker' });
    const naboProgram = await s.world.programId('Fritidspas Nabo 2027');
    other = {
      citizen: naboCitizen.citizenId,
      program: naboProgram.toString(),
      // Nabo's own club, which Demo has not admitted: neither Demo's staff nor demo.sport's may see it.
      provider: String(await s.world.providerId('nabo.swim')),
      terminal: (await s.world.terminal('nabo.swim')).address,
      period: '1',
      staff: (await claimsOfUsername(s.world.deps.db, 'nabo.finance1')).sub,
    };
    await s.world.settle();
    const openapi = s.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(openapi.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
  }, 240_000);
  afterAll(() => s?.close());

  const pathOf = (route: string, objects: Objects) =>
    route
      .slice(route.indexOf(' ') + 1)
      .replace(/\{(id|address|terminal)\}/, (_match, name: string) => {
        const kind = MATRIX[route]?.object;
        if (name !== 'id' || kind) return objects[kind ?? 'terminal'];
        return '1';
      })
      .replace('{terminal}', objects.terminal)
      .replace('{periodId}', objects.period)
      .replace('{redemptionId}', '1') + (MATRIX[route]?.query ?? '');

  async function call(route: string, role: Role | undefined, objects: Objects) {
    const [method] = route.split(' ');
    const entry = MATRIX[route];
    const token = role ? tokens.get(role) : undefined;
    return s.app.inject({
      method: method as 'GET',
      url: pathOf(route, objects),
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(method === 'GET' || method === 'DELETE' ? {} : { payload: entry?.body?.(objects) ?? {} }),
    });
  }

  it('has an entry for every registered route, and no entry for a route that is gone', () => {
    expect(routes.length).toBeGreaterThan(60);
    expect(
      routes.filter((route) => !MATRIX[route]),
      'routes without a matrix entry',
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((route) => !routes.includes(route)),
      'entries without a route',
    ).toEqual([]);
  });

  it('refuses a caller without a token (401) and every role the matrix does not list (403)', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const { access } = entryOf(route);
      if (access === 'public') continue;
      const anonymous = await call(route, undefined, own);
      if (anonymous.statusCode !== 401) wrong.push(`${route} anonymous → ${anonymous.statusCode}`);
      if (access === 'any-signed-in') continue;
      for (const role of ALL_ROLES) {
        const listed = access.includes(role);
        // A listed role on an object's route is asked with another municipality's object below,
        // so no own citizen is erased or program funded here.
        if (listed && entryOf(route).object) continue;
        const response = await call(route, role, own);
        const refused = response.statusCode === 401 || response.statusCode === 403;
        if (!listed && response.statusCode !== 403) wrong.push(`${route} ${role} → ${response.statusCode}`);
        if (listed && refused) wrong.push(`${route} ${role} (listed) → ${response.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it("answers 404 to every listed role naming another municipality's object, and 200 for its own on a read", async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const { access, object } = entryOf(route);
      if (!object || !Array.isArray(access)) continue;
      for (const role of access as readonly Role[]) {
        const theirs = await call(route, role, other);
        if (theirs.statusCode !== 404)
          wrong.push(`${route} ${role} other → ${theirs.statusCode} ${theirs.body.slice(0, 80)}`);
        if (!route.startsWith('GET ')) continue;
        const mine = await call(route, role, own);
        if (mine.statusCode !== 200)
          wrong.push(`${route} ${role} own → ${mine.statusCode} ${mine.body.slice(0, 80)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
