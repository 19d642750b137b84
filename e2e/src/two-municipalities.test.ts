import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import {
  DEMO_MUNICIPALITY,
  demoPassword,
  NEIGHBOUR_MUNICIPALITY,
} from '../../services/voucher-api/src/seed/demo.ts';
import { activatePhone, type Phone, redeemWithPhone } from './console/redeem-via-api.ts';
import * as consoleSteps from './console/steps.ts';
import { DEMO_STAFF, NEIGHBOUR_STAFF, type StaffLogin, textOf } from './console/steps.ts';
import { text as consoleText } from './console/texts.ts';
import { assertBankFileIsValid, readBankFile, sortByIban } from './support/bank-file.ts';
import { launchDevice } from './support/browser.ts';
import { deviceNameOf, signInWithPasskey } from './support/passkeys.ts';
import { randomCpr } from './support/people.ts';
import { Recorder } from './support/record.ts';
import * as scanner from './support/scanner.ts';
import { type Stack, startStack } from './support/stack.ts';
import { scannerText } from './support/texts.ts';

/**
 * Two municipalities on one chain and one service settle in the same week, in Chromium
 * against a real API, chain and database. Demo Kommune and Nabo Kommune both admit Demo
 * Idrætsforening (demo.sport); Demo Børnetøj is only Demo's, Nabo Svømmeklub only Nabo's.
 * Citizens of each municipality redeem at the shared club (through its scanner, which says
 * whose voucher it is) and at their own municipality's provider. Each municipality's finance
 * officers close their own period, propose and approve (two officers) and pay; each bank
 * file debits that municipality's own account and pays only its own providers; the shared
 * club is paid by both and its scanner's statements show both.
 */
const SHARED_PROGRAM = { demo: 'Fritidspas 2027', neighbour: 'Fritidspas Nabo 2027' };
const DEMO_ONLY_PROGRAM = 'Børnepakke';

/** The providers' payout accounts, as the demo seed registers them. */
const IBAN = {
  sport: 'DK5000400440116243',
  clothing: 'DK3852950001234567',
  swim: 'DK7330000098765432',
};

const provider = (username: string): StaffLogin => ({ username, password: demoPassword(username) });
const SPORT = provider('demo.sport');
const CLOTHING = provider('demo.clothing');
const SWIM = provider('nabo.swim');

let stack: Stack;
let record: Recorder;
let office: BrowserContext;
let counter: BrowserContext;
let officePage: Page;
let scannerPage: Page;
const requestedUrls: string[] = [];

/** What each step hands the next; a step that needs an earlier one fails at once, saying which. */
const state: {
  phones?: { demo: Phone; neighbourAtClub: Phone; neighbourAtPool: Phone };
  people: { cpr: string; name: string }[];
  redeemedAtClub?: boolean;
  redeemedAtOwn?: boolean;
  periods: { demo?: number; neighbour?: number };
  paid: { demo?: boolean; neighbour?: boolean };
} = { people: [], periods: {}, paid: {} };

before(async () => {
  record = new Recorder('two-municipalities');
  stack = await startStack();
  office = await launchDevice();
  // No camera: the counter types the pass's code, as with a handheld scanner.
  counter = await launchDevice({ mobile: true });
  officePage = office.pages()[0] ?? (await office.newPage());
  scannerPage = counter.pages()[0] ?? (await counter.newPage());
  for (const page of [officePage, scannerPage]) page.on('request', (r) => requestedUrls.push(r.url()));
});

after(async () => {
  await Promise.allSettled([office?.close(), counter?.close()]);
  await stack?.stop();
  console.log(`\nscreenshots: ${record?.dir}`);
});

/** A caseworker enrols a citizen, grants the programs and prints the letter; returns the code. */
async function enrolWithLetter(programs: string[]): Promise<string> {
  const person = { cpr: randomCpr(), name: `Grænse Testesen ${state.people.length + 1}` };
  state.people.push(person);
  await consoleSteps.enrolCitizen(officePage, {
    ...person,
    street: 'Grænsevej 11',
    postalCode: '2000',
    city: 'Frederiksberg',
    childrenBirthYears: [2016],
  });
  for (const program of programs) await consoleSteps.grantProgram(officePage, program);
  return consoleSteps.printLetter(officePage);
}

test("each municipality's caseworker sees its own municipality and enrols its own citizens", async () => {
  await consoleSteps.loginAs(officePage, stack.baseUrl, DEMO_STAFF.caseworker);
  await consoleSteps.expectMunicipalityInHeader(officePage, DEMO_MUNICIPALITY.name);
  await record.step(officePage, 'console-demo-caseworker');
  const demoCode = await enrolWithLetter([SHARED_PROGRAM.demo, DEMO_ONLY_PROGRAM]);

  await consoleSteps.loginAs(officePage, stack.baseUrl, NEIGHBOUR_STAFF.caseworker);
  await consoleSteps.expectMunicipalityInHeader(officePage, NEIGHBOUR_MUNICIPALITY.name);
  await record.step(officePage, 'console-neighbour-caseworker');
  // The neighbour's leisure pass allows one visit a month: one citizen visits the shared
  // club, another the neighbour's own pool.
  const clubCode = await enrolWithLetter([SHARED_PROGRAM.neighbour]);
  const poolCode = await enrolWithLetter([SHARED_PROGRAM.neighbour]);

  state.phones = {
    demo: await activatePhone(stack.baseUrl, demoCode),
    neighbourAtClub: await activatePhone(stack.baseUrl, clubCode),
    neighbourAtPool: await activatePhone(stack.baseUrl, poolCode),
  };
});

test("the shared club's scanner says whose voucher it redeems, from the choice to the receipt", async () => {
  const phones = state.phones;
  assert.ok(phones, 'needs the enrolled citizens');
  await scanner.login(scannerPage, stack.baseUrl, SPORT.username, SPORT.password);
  await scanner.pair(scannerPage, 'Kasse 1');

  const visits = [
    { phone: phones.demo, program: SHARED_PROGRAM.demo, kroner: '150', shown: '150,00 kr.', ...demo() },
    {
      phone: phones.neighbourAtClub,
      program: SHARED_PROGRAM.neighbour,
      kroner: '200',
      shown: '200,00 kr.',
      ...neighbour(),
    },
  ];
  for (const visit of visits) {
    const from = scannerText('redeem.from', { municipality: visit.municipality });
    const answer = await scanner.typeCode(scannerPage, visit.phone.rotatingPass());
    assert.equal(answer.kind, 'vouchers', JSON.stringify(answer));
    assert.equal(await textOf(scanner.municipalityOf(scannerPage, visit.program)), from);
    await record.step(scannerPage, `scanner-${visit.key}-voucher`);
    await scanner.chooseVoucherAndAmount(scannerPage, visit.program, visit.kroner);
    assert.equal(await textOf(scanner.municipalityOf(scannerPage)), from);
    await record.step(scannerPage, `scanner-${visit.key}-confirm`);
    const result = await scanner.confirm(scannerPage);
    assert.equal(result.kind, 'success', result.text);
    assert.ok(
      result.text.includes(scannerText('result.success', { amount: visit.shown, program: visit.program })),
      result.text,
    );
    assert.equal(await textOf(scanner.municipalityOf(scannerPage)), from);
    await record.step(scannerPage, `scanner-${visit.key}-approved`);
    await scanner.backToScanning(scannerPage);
  }
  // The Demo citizen's other voucher is Demo's too; the neighbour's citizen has no other.
  const again = await scanner.typeCode(scannerPage, phones.demo.rotatingPass());
  assert.equal(again.kind, 'vouchers', JSON.stringify(again));
  assert.deepEqual(
    await scannerPage.locator('label.voucher .municipality').allInnerTexts(),
    [DEMO_MUNICIPALITY.name, DEMO_MUNICIPALITY.name].map((m) =>
      scannerText('redeem.from', { municipality: m }),
    ),
  );
  await scanner.backToScanning(scannerPage);
  state.redeemedAtClub = true;
});

test('citizens of each municipality also redeem at a provider only their municipality admits', async () => {
  const phones = state.phones;
  assert.ok(phones, 'needs the enrolled citizens');
  await redeemWithPhone(stack.baseUrl, {
    phone: phones.demo,
    provider: CLOTHING,
    programName: DEMO_ONLY_PROGRAM,
    amountOre: 24_995n,
  });
  await redeemWithPhone(stack.baseUrl, {
    phone: phones.neighbourAtPool,
    provider: SWIM,
    programName: SHARED_PROGRAM.neighbour,
    amountOre: 17_500n,
  });
  state.redeemedAtOwn = true;
});

test('both municipalities close their own period and propose; a proposer cannot approve', async () => {
  assert.ok(state.redeemedAtClub && state.redeemedAtOwn, 'needs the redemptions');
  for (const { key, staff, municipality } of [demo(), neighbour()]) {
    await signInWithPasskey(officePage, stack.baseUrl, staff.finance1);
    await consoleSteps.expectMunicipalityInHeader(officePage, municipality);
    const periodId = await consoleSteps.closePeriod(officePage);
    state.periods[key] = periodId;
    await consoleSteps.proposeSettlement(officePage, periodId);
    await consoleSteps.expectCannotApprove(officePage, periodId);
    await consoleSteps.expectSignedBy(
      officePage,
      periodId,
      'propose',
      staff.finance1.username,
      deviceNameOf(staff.finance1),
    );
    await record.step(officePage, `console-${key}-proposed`);
  }
});

test("each municipality's second officer approves and pays; its bank file debits its own account and pays only its own providers", async () => {
  const expected = {
    demo: [
      { iban: IBAN.sport, amount: '150.00' },
      { iban: IBAN.clothing, amount: '249.95' },
    ],
    neighbour: [
      { iban: IBAN.sport, amount: '200.00' },
      { iban: IBAN.swim, amount: '175.00' },
    ],
  };
  for (const { key, staff, municipality, debtorIban } of [demo(), neighbour()]) {
    const periodId = state.periods[key];
    assert.ok(periodId, `needs ${municipality}'s proposal`);
    await signInWithPasskey(officePage, stack.baseUrl, staff.finance2);
    await consoleSteps.expectMunicipalityInHeader(officePage, municipality);
    await consoleSteps.approveSettlement(officePage, periodId);
    await consoleSteps.expectSignedBy(
      officePage,
      periodId,
      'approve',
      staff.finance2.username,
      deviceNameOf(staff.finance2),
    );
    await consoleSteps.executeSettlement(officePage, periodId);
    state.paid[key] = true;
    await record.step(officePage, `console-${key}-paid`);
    const bank = await consoleSteps.downloadBankFile(officePage, periodId);
    const file = readBankFile(bank.xml);
    assert.equal(file.debtorIban, debtorIban, `${municipality} pays from its own account`);
    assert.deepEqual(
      sortByIban(file.transfers),
      sortByIban(expected[key]),
      `${municipality} pays exactly its own providers`,
    );
    assert.ok(
      file.transfers.every((transfer) => transfer.iban !== file.debtorIban),
      'no creditor is the debtor',
    );
    await assertBankFileIsValid(bank.xml);
  }
});

test("an officer's public dashboard opens on their own municipality, with only its spending", async () => {
  assert.ok(state.paid.neighbour, "needs the neighbour's settlement");
  await consoleSteps.loginAs(officePage, stack.baseUrl, NEIGHBOUR_STAFF.finance1);
  await officePage
    .getByRole('navigation')
    .getByRole('link', { name: consoleText('nav.transparency') })
    .click();
  const picker = officePage.getByLabel(consoleText('transparency.municipality'));
  await officePage.getByTestId('spending-total').waitFor();
  await officePage.waitForFunction(
    (id) => (document.getElementById('transparency-municipality') as HTMLSelectElement | null)?.value === id,
    String(NEIGHBOUR_MUNICIPALITY.id),
  );
  // Nabo's two redemptions: 200,00 kr. at the shared club and 175,00 kr. at its own pool.
  await officePage.getByTestId('spending-total').filter({ hasText: '375,00 kr.' }).waitFor();
  assert.deepEqual(await picker.locator('option').allTextContents(), [
    DEMO_MUNICIPALITY.name,
    NEIGHBOUR_MUNICIPALITY.name,
  ]);
  await record.step(officePage, 'console-neighbour-dashboard');
});

test("the shared club's scanner shows a paid statement from each municipality", async () => {
  assert.ok(state.paid.demo && state.paid.neighbour, 'needs both settlements paid');
  await scanner.openTab(scannerPage, 'statements');
  for (const { municipalityId, municipality, key, paidText } of [
    { ...demo(), paidText: '150,00 kr.' },
    { ...neighbour(), paidText: '200,00 kr.' },
  ]) {
    const periodId = state.periods[key];
    const statement = scannerPage.locator(
      `li[data-municipality-id="${municipalityId}"][data-period-id="${periodId}"]`,
    );
    await statement.filter({ hasText: scannerText('statements.status_paid') }).waitFor();
    const shown = await textOf(statement);
    assert.ok(
      shown.includes(
        `${scannerText('statements.municipalityPeriod', { municipality, id: Number(periodId) })}: ${paidText}`,
      ),
      shown,
    );
    assert.equal(await statement.getAttribute('data-status'), 'paid');
  }
  await record.step(scannerPage, 'scanner-statements-both-municipalities');
});

test('no CPR number or name appeared in a URL', () => {
  assert.ok(requestedUrls.length > 10);
  for (const person of state.people) {
    for (const url of requestedUrls) {
      const decoded = decodeURIComponent(url);
      assert.ok(
        !decoded.includes(person.cpr.replace('-', '')) && !decoded.includes(person.cpr),
        `CPR in ${url}`,
      );
      assert.ok(!decoded.includes('Testesen'), `name in ${url}`);
    }
  }
});

function demo() {
  return {
    key: 'demo' as const,
    staff: DEMO_STAFF,
    municipalityId: DEMO_MUNICIPALITY.id,
    municipality: DEMO_MUNICIPALITY.name,
    debtorIban: DEMO_MUNICIPALITY.debtorIban,
  };
}

function neighbour() {
  return {
    key: 'neighbour' as const,
    staff: NEIGHBOUR_STAFF,
    municipalityId: NEIGHBOUR_MUNICIPALITY.id,
    municipality: NEIGHBOUR_MUNICIPALITY.name,
    debtorIban: NEIGHBOUR_MUNICIPALITY.debtorIban,
  };
}
