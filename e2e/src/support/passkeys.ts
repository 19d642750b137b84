import type { CDPSession, Page } from 'playwright-core';
import { failureOn, loginAs, type StaffLogin, textOf } from '../console/steps.ts';
import { text } from '../console/texts.ts';

/**
 * Keys in people's hands, in Chromium: the officer's computer gets a built-in authenticator
 * (like Windows Hello or Touch ID) through the DevTools WebAuthn domain, which keeps
 * discoverable keys and verifies the person at once. Officers enrol a passkey on it under
 * "Mine adgangsnøgler" the first time they sign in, and from then on every money step they
 * confirm is signed by it. Several officers may share one computer: each has their own key.
 */
export interface VirtualAuthenticator {
  cdp: CDPSession;
  authenticatorId: string;
  /** The keys the authenticator holds. */
  credentials(): Promise<AuthenticatorKey[]>;
  /** How many signatures its keys have made, together. */
  signCount(): Promise<number>;
}

/** What the DevTools protocol tells of a key on the authenticator. */
export interface AuthenticatorKey {
  credentialId: string;
  rpId?: string;
  isResidentCredential: boolean;
  signCount: number;
}

const STEP_TIMEOUT_MS = 30_000;
const authenticators = new WeakMap<Page, Promise<VirtualAuthenticator>>();

/** The page's built-in authenticator, added the first time it is asked for. */
export function authenticatorOf(page: Page): Promise<VirtualAuthenticator> {
  let authenticator = authenticators.get(page);
  if (!authenticator) {
    authenticator = addAuthenticator(page);
    authenticators.set(page, authenticator);
  }
  return authenticator;
}

async function addAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const credentials = async () =>
    (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
  return {
    cdp,
    authenticatorId,
    credentials,
    signCount: async () => (await credentials()).reduce((sum, key) => sum + key.signCount, 0),
  };
}

/** The name an officer gives the device their passkey is on, unless a journey names it. */
export function deviceNameOf(user: StaffLogin): string {
  return `Kontor-pc (${user.username})`;
}

/**
 * On "Mine adgangsnøgler" (opened from the menu unless already there): names the device,
 * enrols a passkey on the page's authenticator and waits until the list shows it.
 * Resolves with the key's account address, as the list shows it.
 */
export async function enrolPasskey(page: Page, deviceName: string): Promise<string> {
  await authenticatorOf(page);
  const heading = page.getByRole('heading', { level: 1, name: text('passkeys.title') });
  if (!(await heading.isVisible())) await openPasskeys(page);
  await heading.waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.getByLabel(text('passkeys.deviceName')).fill(deviceName);
  await page.getByRole('button', { name: text('passkeys.enrol') }).click();
  const enrolled = page.getByRole('status').filter({
    hasText: text('passkeys.enrolled', { name: deviceName, address: '\n' }).split('\n')[0],
  });
  await Promise.race([
    enrolled.waitFor({ timeout: STEP_TIMEOUT_MS }),
    failureOn(page.locator('main'), `enrol the passkey "${deviceName}"`),
  ]);
  const row = activeKeyRow(page, deviceName);
  await row.waitFor({ timeout: STEP_TIMEOUT_MS });
  return textOf(row.locator('code'));
}

/**
 * Signs in a staff member on this page's computer and makes sure they have an active passkey
 * named `deviceName` here: enrolled under "Mine adgangsnøgler" the first time, found in the
 * list after that. Resolves with the key's address and whether it was enrolled just now.
 */
export async function signInWithPasskey(
  page: Page,
  baseUrl: string,
  user: StaffLogin,
  deviceName = deviceNameOf(user),
): Promise<{ address: string; enrolled: boolean }> {
  await authenticatorOf(page);
  await loginAs(page, baseUrl, user);
  await openPasskeys(page);
  // The list has loaded once it shows the keys or says there are none.
  await Promise.race([
    page
      .getByTestId('passkeys')
      .or(page.getByText(text('passkeys.none'), { exact: true }))
      .waitFor({ timeout: STEP_TIMEOUT_MS }),
    failureOn(page.locator('main'), `list ${user.username}'s passkeys`),
  ]);
  const row = activeKeyRow(page, deviceName);
  if ((await row.count()) > 0) return { address: await textOf(row.locator('code')), enrolled: false };
  return { address: await enrolPasskey(page, deviceName), enrolled: true };
}

/** "Mine adgangsnøgler" is a link in the page's header, beside the signed-in officer's name. */
async function openPasskeys(page: Page): Promise<void> {
  await page
    .getByRole('banner')
    .getByRole('link', { name: text('nav.passkeys') })
    .click();
  await page
    .getByRole('heading', { level: 1, name: text('passkeys.title') })
    .waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** The list's row of an active (not revoked) key with this device name. */
function activeKeyRow(page: Page, deviceName: string) {
  return page
    .getByTestId('passkeys')
    .locator('tbody tr')
    .filter({ has: page.getByRole('rowheader', { name: deviceName, exact: true }) })
    .filter({ has: page.getByRole('button', { name: text('passkeys.revoke') }) });
}
