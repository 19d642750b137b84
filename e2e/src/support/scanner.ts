import type { Page } from 'playwright-core';
import { blankFrame, type Frame, writeY4m } from './fake-camera.ts';
import { scannerText as t } from './texts.ts';

const STEP_TIMEOUT_MS = 30_000;

export async function login(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/scanner/`);
  await page.getByLabel(t('login.username')).fill(username);
  await page.getByLabel(t('login.password')).fill(password);
  await page.getByRole('button', { name: t('login.submit') }).click();
  await page.getByRole('heading', { name: t('pair.heading') }).waitFor({ timeout: STEP_TIMEOUT_MS });
}

export async function pair(page: Page, label: string): Promise<void> {
  await page.getByLabel(t('pair.label')).fill(label);
  await page.getByRole('button', { name: t('pair.submit') }).click();
  await page.getByRole('heading', { name: t('scan.heading') }).waitFor({ timeout: STEP_TIMEOUT_MS });
}

export type ScanAnswer =
  | { kind: 'vouchers'; scanToResultMs: number }
  | { kind: 'refused'; code: string; message: string; scanToResultMs: number };

/**
 * Holds `frame` in front of the camera: the video file is rewritten and the camera
 * (re)started, and the scanner decodes the QR, asks the API and shows either the voucher
 * choice or the refusal. Returns what it showed and the app's own scan-to-result time.
 * Like a person re-holding the phone, it restarts the camera when nothing was read: Chromium
 * may still be releasing the previous capture device and show its old (blank) video.
 */
export async function scan(page: Page, cameraFile: string, frame: Frame): Promise<ScanAnswer> {
  const choice = page.getByRole('heading', { name: t('redeem.heading') });
  const refusal = page.locator('[data-result="failure"]');
  await page.evaluate(() => performance.clearMeasures('scan-to-result'));
  // The lens sees the new picture only from the next camera start.
  await stopCamera(page);
  await writeY4m(cameraFile, frame);
  for (let attempt = 1; ; attempt++) {
    await page.getByRole('button', { name: t('scan.start') }).click();
    const shown = await Promise.race([
      choice.waitFor({ timeout: 8_000 }).then(() => true),
      refusal.waitFor({ timeout: 8_000 }).then(() => true),
    ]).catch(() => false);
    if (shown) break;
    if (attempt === 3) throw new Error('the scanner read no QR code from the camera in three tries');
    await stopCamera(page);
  }
  const scanToResultMs = await page.waitForFunction(() => {
    const entries = performance.getEntriesByName('scan-to-result', 'measure');
    return entries.length > 0 ? entries[entries.length - 1]?.duration : undefined;
  });
  const ms = (await scanToResultMs.jsonValue()) as number;
  // Take the phone away: the next time the camera starts it must not see this code again.
  await writeY4m(cameraFile, blankFrame());
  if (await choice.isVisible()) return { kind: 'vouchers', scanToResultMs: ms };
  return {
    kind: 'refused',
    code: (await refusal.getAttribute('data-code')) ?? '',
    message: (await refusal.innerText()).trim(),
    scanToResultMs: ms,
  };
}

/**
 * Types the pass's code, as a handheld scanner does, when the camera is not used: shows the
 * voucher choice or the refusal, like a camera scan.
 */
export async function typeCode(
  page: Page,
  code: string,
): Promise<{ kind: 'vouchers' } | { kind: 'refused'; code: string; message: string }> {
  const choice = page.getByRole('heading', { name: t('redeem.heading') });
  const refusal = page.locator('[data-result="failure"]');
  await page.getByLabel(t('scan.manualLabel')).fill(code);
  await page.getByRole('button', { name: t('scan.manualSubmit') }).click();
  await Promise.race([
    choice.waitFor({ timeout: STEP_TIMEOUT_MS }),
    refusal.waitFor({ timeout: STEP_TIMEOUT_MS }),
  ]);
  if (await choice.isVisible()) return { kind: 'vouchers' };
  return {
    kind: 'refused',
    code: (await refusal.getAttribute('data-code')) ?? '',
    message: ((await refusal.textContent()) ?? '').trim(),
  };
}

/** The line under a voucher (or on the confirm and receipt screens) naming its municipality. */
export function municipalityOf(page: Page, programName?: string) {
  const scope = programName ? page.locator('label.voucher', { hasText: programName }) : page.locator('main');
  return scope.locator('.municipality');
}

async function stopCamera(page: Page): Promise<void> {
  const viewfinder = page.locator('.viewfinder');
  // A camera still starting would come on after we looked; wait until it settled.
  await page.waitForFunction(
    () => document.querySelector('.viewfinder')?.getAttribute('data-camera') !== 'starting',
  );
  if ((await viewfinder.getAttribute('data-camera')) === 'on') {
    await page.getByRole('button', { name: t('scan.stop') }).click();
  }
  await page.waitForFunction(() => !document.querySelector('video')?.srcObject);
}

export async function chooseVoucherAndAmount(page: Page, programName: string, kroner: string): Promise<void> {
  await page.getByRole('radio', { name: new RegExp(programName) }).check();
  await page.getByLabel(t('redeem.amount')).fill(kroner);
  await page.getByRole('button', { name: t('redeem.next') }).click();
}

export type RedeemAnswer = { kind: string; text: string; code: string | null };

/** Confirms on the confirmation screen and reads the success or failure screen. */
export async function confirm(page: Page): Promise<RedeemAnswer> {
  await page.getByRole('button', { name: t('redeem.confirm') }).click();
  const result = page.locator('section[data-result]');
  await result.waitFor({ timeout: 60_000 });
  return {
    kind: (await result.getAttribute('data-result')) ?? '',
    text: (await result.innerText()).trim(),
    code: await result.getAttribute('data-code'),
  };
}

export async function backToScanning(page: Page): Promise<void> {
  // "Scan næste" after a result or when nothing could be used; "Annullér" mid-choice.
  const next = page.getByRole('button', { name: t('result.again') });
  if (await next.isVisible()) await next.click();
  else await page.getByRole('button', { name: t('redeem.cancel') }).click();
  await page.getByRole('heading', { name: t('scan.heading') }).waitFor();
}

export async function openTab(page: Page, tab: 'scan' | 'today' | 'statements'): Promise<void> {
  await page
    .getByRole('navigation')
    .getByRole('link', { name: t(`nav.${tab}`) })
    .click();
  await page.locator('main h1').waitFor();
}
