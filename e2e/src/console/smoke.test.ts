import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatOre, parseKronerInput } from '../../../apps/municipal-console/src/money/kroner.ts';
import { DEFAULT_SINGLE_OFFICER_FUNDING_LIMIT_ORE } from '../../../services/voucher-api/src/municipalities/create-municipality.ts';
import { deviceNameOf, signInWithPasskey } from '../support/passkeys.ts';
import { seriousAxeViolations } from './axe.ts';
import { launchChromium } from './browser.ts';
import { redeemViaApi } from './redeem-via-api.ts';
import { type ConsoleStack, startConsoleStack } from './stack.ts';
import {
  approveFunding,
  approveSettlement,
  awaitingFunding,
  bulkGrant,
  type CitizenData,
  closePeriod,
  DEMO_STAFF,
  downloadBankFile,
  downloadStatementCsv,
  enrolCitizen,
  eraseCitizen,
  executeSettlement,
  expectCannotApprove,
  expectCannotApproveFunding,
  exportCitizen,
  findCitizen,
  fundProgram,
  grantProgram,
  letterPageCount,
  loginAs,
  openMenu,
  openPeriod,
  printLetter,
  proposeSettlement,
  reissuePass,
  textOf,
} from './steps.ts';
import { text } from './texts.ts';

/**
 * The caseworker's day in the console, in Chromium against a real API, chain and database:
 * sign in, enrol, grant, print the letter, reissue a lost pass, export, erase. Along the way:
 * personal data never appears in a URL, mistakes are explained in Danish, and axe finds no
 * serious accessibility problem on any screen.
 */
let stack: ConsoleStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requestedUrls: string[] = [];

before(async () => {
  stack = await startConsoleStack();
  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true, locale: 'da-DK' });
  page = await context.newPage();
  page.on('request', (request) => requestedUrls.push(request.url()));
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const person: CitizenData = {
  cpr: randomCpr(),
  name: 'Smoke Testesen',
  street: 'Prøvevej 17',
  postalCode: '8000',
  city: 'Aarhus C',
  childrenBirthYears: [2017],
  householdIncome: '185.000,50',
  email: 'smoke@example.invalid',
};

async function fillRestOfForm(form: ReturnType<Page['locator']>) {
  await form.getByLabel(text('citizens.cprLabel')).fill(randomCpr());
  await form.getByLabel(text('enrol.street')).fill('Halvvej 1');
  await form.getByLabel(text('enrol.postalCode')).fill('8000');
  await form.getByLabel(text('enrol.city')).fill('Aarhus C');
}

async function focusedText(): Promise<string> {
  return page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
}

/**
 * A page's heading takes focus after it renders. Waiting for that before focusing a button keeps
 * the heading from taking the focus back before the key press reaches the button.
 */
async function headingTakesFocus(title: string) {
  await page.waitForFunction(
    (expected) =>
      document.activeElement?.tagName === 'H1' && document.activeElement.textContent?.trim() === expected,
    title,
  );
}

async function expectAccessible(screen: string) {
  const findings = await seriousAxeViolations(page);
  assert.deepEqual(findings, [], `axe findings on ${screen}: ${JSON.stringify(findings, null, 2)}`);
}

test('the login page is accessible and refuses a wrong password in Danish', async () => {
  await page.goto(`${stack.baseUrl}/console/`);
  await page.getByRole('heading', { name: text('login.title') }).waitFor();
  await expectAccessible('login');
  await page.getByLabel(text('login.username')).fill(DEMO_STAFF.caseworker.username);
  await page.getByLabel(text('login.password'), { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: text('login.submit') }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: text('errors.LOGIN_FAILED') })
    .waitFor();
});

test('a caseworker can work the console with the keyboard alone', async () => {
  await page.goto(`${stack.baseUrl}/console/`);
  await page.getByLabel(text('login.username')).waitFor();
  // The page's heading has focus, so the next Tab is the username field.
  assert.equal(await focusedText(), text('login.title'));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'login-username');
  await page.keyboard.type(DEMO_STAFF.caseworker.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO_STAFF.caseworker.password);
  await page.keyboard.press('Enter');
  // The new page's heading takes focus, so a screen reader announces where the officer is.
  await page.getByRole('heading', { name: text('citizens.title'), exact: true }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
  // Buttons answer Enter: open the enrolment form, cancel it, sign out.
  await page.getByRole('button', { name: text('citizens.enrolNew') }).focus();
  await page.keyboard.press('Enter');
  await headingTakesFocus(text('enrol.title'));
  await page.getByRole('button', { name: text('common.cancel') }).focus();
  await page.keyboard.press('Enter');
  await headingTakesFocus(text('citizens.title'));
  await page.getByRole('button', { name: text('app.logout') }).focus();
  assert.equal(await focusedText(), text('app.logout'));
  await page.keyboard.press('Enter');
  await page.getByLabel(text('login.username')).waitFor();
});

test('a mistyped CPR number is caught in the form and nothing is sent', async () => {
  await loginAs(page, stack.baseUrl, DEMO_STAFF.caseworker);
  await expectAccessible('citizen search');
  await page.getByRole('button', { name: text('citizens.enrolNew') }).click();
  const posts: string[] = [];
  const recordPost = (request: { method(): string; url(): string }) => {
    if (request.method() === 'POST') posts.push(request.url());
  };
  page.on('request', recordPost);
  await page.getByLabel(text('citizens.cprLabel')).fill('310490-1234');
  await page.getByRole('button', { name: text('enrol.submit'), exact: true }).click();
  await page
    .locator('.field__error')
    .filter({ hasText: text('validation.cprInvalid') })
    .waitFor();
  await page
    .locator('.field__error')
    .filter({ hasText: text('validation.required') })
    .first()
    .waitFor();
  await expectAccessible('enrol form with errors');
  page.off('request', recordPost);
  assert.deepEqual(posts, []);
  await page.getByRole('button', { name: text('common.cancel') }).click();
});

let citizenId: string;

test('a caseworker enrols a citizen and finds them again by CPR number', async () => {
  ({ citizenId } = await enrolCitizen(page, person));
  assert.match(citizenId, /^[0-9a-f-]{36}$/);
  await page
    .getByRole('status')
    .filter({ hasText: text('enrol.success') })
    .waitFor();
  assert.equal(await textOf(page.getByTestId('citizen-cpr')), person.cpr);
  await expectAccessible('citizen page');
  assert.equal(await findCitizen(page, person.cpr), citizenId);
});

test('enrolling the same person twice is refused with the reason in Danish', async () => {
  await openMenu(page, 'nav.citizens');
  await page.getByRole('button', { name: `← ${text('citizens.backToSearch')}` }).click();
  await page.getByRole('button', { name: text('citizens.enrolNew') }).click();
  const form = page.locator('form');
  await form.getByLabel(text('citizens.cprLabel')).fill(person.cpr);
  await form.getByLabel(text('enrol.name')).fill('Someone Else');
  await form.getByLabel(text('enrol.street')).fill('Andenvej 2');
  await form.getByLabel(text('enrol.postalCode')).fill('8000');
  await form.getByLabel(text('enrol.city')).fill('Aarhus C');
  await form.getByRole('button', { name: text('enrol.submit'), exact: true }).click();
  const alert = page.locator('[data-error-code="CITIZEN_ALREADY_ENROLLED"]');
  await alert.waitFor();
  assert.match(await textOf(alert), new RegExp(text('errors.CITIZEN_ALREADY_ENROLLED').slice(0, 30)));
  await page.getByRole('button', { name: text('common.cancel') }).click();
});

test('when the session ends mid-form, signing in again keeps what was typed', async () => {
  await openMenu(page, 'nav.citizens');
  await page.getByRole('button', { name: text('citizens.enrolNew') }).click();
  const form = page.locator('main form');
  await form.getByLabel(text('enrol.name')).fill('Halvfærdig Formular');
  // The API answers as it does for an expired token.
  await page.route('**/citizens', (route) =>
    route.fulfill({
      status: 401,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: '', messageDa: '', details: {} } }),
    }),
  );
  await fillRestOfForm(form);
  await form.getByRole('button', { name: text('enrol.submit'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: text('login.expiredTitle') });
  await dialog.waitFor();
  await page.unroute('**/citizens');
  await page.keyboard.press('Escape');
  assert.ok(await dialog.isVisible(), 'Escape must not dismiss the sign-in');
  assert.equal(await dialog.getByLabel(text('login.username')).inputValue(), DEMO_STAFF.caseworker.username);
  await expectAccessible('sign in again');
  await dialog.getByLabel(text('login.password'), { exact: true }).fill(DEMO_STAFF.caseworker.password);
  await dialog.getByRole('button', { name: text('login.submit') }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await form.getByLabel(text('enrol.name')).inputValue(), 'Halvfærdig Formular');
  await page.getByRole('button', { name: text('common.cancel') }).click();
});

test('the caseworker grants a program and prints the letter with an activation code', async () => {
  assert.equal(await findCitizen(page, person.cpr), citizenId);
  const eligibility = page.getByTestId('eligibility');
  await eligibility.waitFor();
  assert.match(await textOf(eligibility), /Børnepakke/);
  await grantProgram(page, 'Børnepakke');
  assert.match(await textOf(page.getByTestId('citizen-grants')), /Børnepakke: 1\.500,00 kr\./);
  assert.equal(
    await page.getByRole('button', { name: text('citizen.grant', { program: 'Børnepakke' }) }).count(),
    0,
  );
  const code = await printLetter(page);
  assert.match(code, /^[A-Z0-9]{2,4}(-[A-Z0-9]{2,4})+$/);
  const letterText = await textOf(page.frameLocator('iframe').locator('body'));
  assert.match(letterText, /Smoke Testesen/);
  assert.equal(await page.frameLocator('iframe').locator('.qr svg').count(), 1);
  assert.equal(await letterPageCount(page), 1, 'the letter prints on one A4 sheet');
  await expectAccessible('citizen page with letter');
});

test('a lost pass is reissued with a new serial', async () => {
  const before = await textOf(page.getByTestId('citizen-pass'));
  // Escape closes the confirmation without doing anything, and focus returns to its button.
  await page.getByRole('button', { name: text('citizen.reissue') }).click();
  await page.getByRole('dialog').waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  assert.equal(await focusedText(), text('citizen.reissue'));
  assert.equal(await textOf(page.getByTestId('citizen-pass')), before);
  const { passSerial } = await reissuePass(page);
  assert.notEqual(before, await textOf(page.getByTestId('citizen-pass')));
  assert.match(await textOf(page.getByTestId('citizen-pass')), new RegExp(`Pas nr\\. ${passSerial},`));
});

test('the art. 15 export downloads everything held about the person', async () => {
  const exported = await exportCitizen(page);
  assert.match(exported.filename, /^art15-[0-9a-f-]{36}-\d{4}-\d{2}-\d{2}\.json$/);
  // The file name holds no personal data: not the name, not the CPR number in either form.
  // (A generic digit pattern would also match a citizen id that happens to be all digits.)
  for (const trace of [person.name, ...person.name.split(' '), person.cpr, person.cpr.replace('-', '')]) {
    assert.ok(!exported.filename.includes(trace), `export file name holds ${trace}`);
  }
  const personData = exported.data.person as { name: string; grants: unknown[]; householdIncomeOre: string };
  assert.equal(personData.name, person.name);
  assert.equal(personData.householdIncomeOre, '18500050');
  assert.equal(personData.grants.length, 1);
});

test('the console switches to English and back', async () => {
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: /^Citizen: Smoke Testesen$/ }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  // Messages already on screen follow the switch too.
  await page.getByRole('status').filter({ hasText: 'The export has been downloaded.' }).waitFor();
  await expectAccessible('citizen page in English');
  await page.getByRole('button', { name: 'Dansk' }).click();
  await page.getByRole('heading', { name: /^Borger: Smoke Testesen$/ }).waitFor();
});

test('a bulk grant gives a program to every eligible citizen once', async () => {
  const counts = (line: string) => {
    const match = /: (\d+) tildelt, (\d+) havde den allerede, (\d+) ikke berettigede/.exec(line);
    if (!match) throw new Error(`no result in "${line}"`);
    return { granted: Number(match[1]), already: Number(match[2]), notEligible: Number(match[3]) };
  };
  const first = counts(await bulkGrant(page, 'Fritidspas 2027'));
  // At least the citizen enrolled above, who had only Børnepakke.
  assert.ok(first.granted >= 1, JSON.stringify(first));
  const second = counts(await bulkGrant(page, 'Fritidspas 2027'));
  assert.deepEqual(second, {
    granted: 0,
    already: first.granted + first.already,
    notEligible: first.notEligible,
  });
  await expectAccessible('bulk grant');
});

test('erasure needs the name typed, and afterwards the CPR number finds no one', async () => {
  assert.equal(await findCitizen(page, person.cpr), citizenId);
  await eraseCitizen(page, person.name);
  assert.equal(await findCitizen(page, person.cpr), undefined);
});

// --- finance and transparency ---------------------------------------------------------------

const parent: CitizenData = { ...person, cpr: randomCpr(), name: 'Forælder Testesen', email: undefined };
let periodId: number;
let redeemedProviderId: number;

test('a redemption made by a real terminal shows up for finance', async () => {
  await loginAs(page, stack.baseUrl, DEMO_STAFF.caseworker);
  await enrolCitizen(page, parent);
  await grantProgram(page, 'Børnepakke');
  const activationCode = await printLetter(page);
  const redeemed = await redeemViaApi(stack.baseUrl, {
    activationCode,
    provider: { username: 'demo.clothing', password: 'Demo-clothing-2027!' },
    programName: 'Børnepakke',
    amountOre: 24_995n,
  });
  redeemedProviderId = redeemed.providerId;
  assert.ok(redeemed.txHash);
});

test('a finance officer without a passkey is told to enrol one when she confirms, and nothing is funded', async () => {
  await loginAs(page, stack.baseUrl, DEMO_STAFF.finance1);
  await openMenu(page, 'nav.programs');
  await page.getByLabel(text('funding.program')).selectOption({ label: 'Børnepakke' });
  await page.getByLabel(text('funding.amount')).fill('10,00');
  await page.getByRole('button', { name: text('funding.submit') }).click();
  const dialog = page.getByRole('dialog', { name: text('signing.fund.title', { program: 'Børnepakke' }) });
  await dialog.getByRole('button', { name: text('signing.sign') }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: text('errors.PASSKEY_REQUIRED') })
    .waitFor();
  await page
    .getByTestId('signing-enrol')
    .getByRole('link', { name: text('nav.passkeys') })
    .waitFor();
  assert.equal(await page.getByRole('status').filter({ hasText: 'Børnepakke' }).count(), 0);
});

test('finance funds a program with an amount typed in Danish kroner, confirmed with her passkey', async () => {
  await signInWithPasskey(page, stack.baseUrl, DEMO_STAFF.finance1);
  await openMenu(page, 'nav.programs');
  const row = page.getByTestId('programs').getByRole('row').filter({ hasText: 'Børnepakke' });
  const before = parseDanishKroner(await textOf(row.locator('td.number')));
  await expectAccessible('programs');
  const funded = await fundProgram(page, 'Børnepakke', '1.234,50');
  assert.equal(funded.outcome, 'funded', 'one officer funds below the limit');
  assert.ok(funded.plainWords.includes('1.234,50 kr.'), funded.plainWords);
  await row
    .locator('td.number')
    .filter({ hasNotText: formatDanish(before) })
    .waitFor();
  assert.equal(parseDanishKroner(await textOf(row.locator('td.number'))), before + 123_450n);
});

test('a bad amount is explained and nothing is funded', async () => {
  await page.getByLabel(text('funding.amount')).fill('12,345');
  await page.getByRole('button', { name: text('funding.submit') }).click();
  await page
    .locator('.field__error')
    .filter({ hasText: text('validation.amountInvalid') })
    .waitFor();
  assert.equal(await page.getByRole('dialog').count(), 0);
});

/** Above the single-officer limit: 1.000 kr. more than one officer may add alone. */
const LARGE_FUNDING_ORE = DEFAULT_SINGLE_OFFICER_FUNDING_LIMIT_ORE + 100_000n;
const largeFunding = () => formatDanish(LARGE_FUNDING_ORE);

test('above the limit a funding waits for a second officer; the officer who asked cannot approve it', async () => {
  const row = page.getByTestId('programs').getByRole('row').filter({ hasText: 'Børnepakke' });
  await openMenu(page, 'nav.programs');
  const before = await textOf(row.locator('td.number'));
  const asked = await fundProgram(page, 'Børnepakke', largeFunding().replace(' kr.', ''));
  assert.equal(asked.outcome, 'awaiting-second-officer');
  // The dialog said so before she signed: the amount, and the limit it is above.
  assert.ok(asked.plainWords.includes(largeFunding()), asked.plainWords);
  assert.ok(
    asked.plainWords.includes(formatDanish(DEFAULT_SINGLE_OFFICER_FUNDING_LIMIT_ORE)),
    asked.plainWords,
  );
  const waiting = await awaitingFunding(page, 'Børnepakke', largeFunding());
  // Who asked, with the device of the passkey she signed on.
  const askedBy = text('funding.requestedWith', {
    username: DEMO_STAFF.finance1.username,
    device: deviceNameOf(DEMO_STAFF.finance1),
  });
  assert.ok((await textOf(waiting)).includes(askedBy), await textOf(waiting));
  await expectCannotApproveFunding(page, 'Børnepakke', largeFunding());
  assert.equal(await textOf(row.locator('td.number')), before, 'nothing is added yet');
  await expectAccessible('funding awaiting a second officer');
});

test('officer A closes the period and proposes; A cannot approve and is told why', async () => {
  periodId = await closePeriod(page);
  const detail = await openPeriod(page, periodId);
  await detail.locator('[data-clean="true"]').waitFor({ timeout: 60_000 });
  assert.match(await textOf(detail.getByTestId('period-statements')), /Demo Børnetøj.*249,95 kr\./s);
  await expectAccessible('period detail');
  await proposeSettlement(page, periodId);
  await expectCannotApprove(page, periodId);
  await expectAccessible('settlement waiting for another officer');
});

test('officer B approves the waiting funding with her passkey, and only then the budget grows', async () => {
  await signInWithPasskey(page, stack.baseUrl, DEMO_STAFF.finance2);
  await openMenu(page, 'nav.programs');
  const row = page.getByTestId('programs').getByRole('row').filter({ hasText: 'Børnepakke' });
  const before = parseDanishKroner(await textOf(row.locator('td.number')));
  const plainWords = await approveFunding(page, 'Børnepakke', largeFunding());
  assert.ok(plainWords.includes(DEMO_STAFF.finance1.username), plainWords);
  await row
    .locator('td.number')
    .filter({ hasText: formatDanish(before + LARGE_FUNDING_ORE) })
    .waitFor();
  await page.getByTestId('awaiting-fundings').getByText(text('funding.awaitingNone')).waitFor();
});

test('officer B approves and pays; the bank file and the CSV download', async () => {
  await approveSettlement(page, periodId);
  await executeSettlement(page, periodId);
  const detail = await openPeriod(page, periodId);
  assert.match(await textOf(detail.getByTestId('payouts')), /Demo Børnetøj.*249,95 kr\..*betalt/s);
  const bank = await downloadBankFile(page, periodId);
  assert.match(bank.filename, /\.xml$/);
  assert.match(bank.xml, /pain\.001\.001\.03/);
  assert.match(bank.xml, /DK3852950001234567/);
  assert.match(bank.xml, /249\.95/);
  const csv = await downloadStatementCsv(page, periodId);
  assert.match(csv.filename, /\.csv$/);
  assert.match(csv.csv, /Demo Børnetøj/);
  await openMenu(page, 'nav.statements');
  await page.getByLabel(text('statements.chooseProvider')).selectOption(String(redeemedProviderId));
  const statements = page.getByTestId('provider-statements');
  await statements
    .getByRole('row')
    .filter({ hasText: text('periods.periodN', { id: periodId }) })
    .filter({
      hasText: text('statements.statuses.paid'),
    })
    .waitFor();
  await expectAccessible('statements');
});

test('an auditor reads periods and settlements but cannot change them', async () => {
  await loginAs(page, stack.baseUrl, DEMO_STAFF.auditor);
  const menu = await page.getByRole('navigation').getByRole('link').allTextContents();
  assert.deepEqual(menu, [text('nav.periods'), text('nav.statements'), text('nav.transparency')]);
  const detail = await openPeriod(page, periodId);
  await detail.locator('[data-settlement-status="paid"]').waitFor();
  assert.equal(await page.getByRole('button', { name: /^Luk periode/ }).count(), 0);
  assert.equal(await detail.getByRole('button', { name: text('settlement.bankFile') }).count(), 0);
  const csv = await downloadStatementCsv(page, periodId);
  assert.match(csv.csv, /Demo Børnetøj/);
});

test('the public dashboard shows spending from the chain without a login', async () => {
  await page.getByRole('button', { name: text('app.logout') }).click();
  await page.getByRole('link', { name: text('login.publicDashboard') }).click();
  const total = page.getByTestId('spending-total');
  await total.waitFor();
  // What the chain's events add up to, as the API publishes it; at least this test's 249,95 kr.
  const published = (await (await fetch(`${stack.baseUrl}/public/spending?municipality=101`)).json()) as {
    totalOre: string;
  };
  assert.ok(BigInt(published.totalOre) >= 24_995n);
  assert.match(
    await textOf(total),
    new RegExp(`^Indløst i alt: ${formatDanish(BigInt(published.totalOre)).replace(/\./g, '\\.')}`),
  );
  // One dashboard per municipality: the first is shown, the others can be chosen.
  const municipality = page.getByLabel(text('transparency.municipality'));
  assert.deepEqual(await municipality.locator('option').allTextContents(), ['Demo Kommune', 'Nabo Kommune']);
  for (const chart of ['by-program', 'by-category', 'by-period']) {
    await page.getByTestId(`chart-${chart}`).locator('canvas').waitFor();
  }
  assert.match(await textOf(page.getByTestId('chart-by-program')), /Børnepakke/);
  assert.match(await textOf(page.getByTestId('chart-by-category')), /Tøj/);
  // Where anyone can check the figures: the hub contract the API reads the events from.
  const chain = (await (await fetch(`${stack.baseUrl}/public/chain`)).json()) as { hub: string };
  assert.match(await textOf(page.getByTestId('chain-reference')), new RegExp(chain.hub, 'i'));
  const html = await page.content();
  assert.doesNotMatch(html, /Testesen|Forælder/);
  await expectAccessible('transparency dashboard');
});

test('no CPR number or name ever appeared in a URL', () => {
  for (const someone of [person, parent]) {
    const digits = someone.cpr.replace('-', '');
    for (const url of requestedUrls) {
      const decoded = decodeURIComponent(url);
      assert.ok(!decoded.includes(digits) && !decoded.includes(someone.cpr), `CPR in ${url}`);
      assert.ok(!decoded.includes(someone.name.split(' ')[0] ?? someone.name), `name in ${url}`);
    }
  }
  assert.ok(requestedUrls.length > 10);
});

function parseDanishKroner(shown: string): bigint {
  const ore = parseKronerInput(shown, 'da');
  if (ore === undefined) throw new Error(`not an amount: ${shown}`);
  return ore;
}

function formatDanish(ore: bigint): string {
  return formatOre(ore, 'da');
}

/** A CPR number with a real 1980s date and a random serial, so reruns never collide. */
function randomCpr(): string {
  const day = String(randomInt(1, 29)).padStart(2, '0');
  const month = String(randomInt(1, 13)).padStart(2, '0');
  const year = String(randomInt(80, 90));
  return `${day}${month}${year}-${randomInt(0, 4)}${String(randomInt(0, 1000)).padStart(3, '0')}`;
}
