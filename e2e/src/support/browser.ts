import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, devices } from 'playwright-core';

/** Debian's Chromium (never a downloaded browser), with the flags this machine needs. */
const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchOptions {
  /** Feed this .y4m file to the page as its camera. */
  cameraFile?: string;
  /** A phone-sized screen with touch, as citizens and counter staff use. */
  mobile?: boolean;
}

/** A fresh profile (its own user-data-dir) per device, like a separate phone or tablet. */
export async function launchDevice(options: LaunchOptions = {}): Promise<BrowserContext> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'e2e-profile-'));
  const args = [...BASE_ARGS];
  if (options.cameraFile) {
    args.push(
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${options.cameraFile}`,
    );
  }
  const phone = devices['Pixel 5'];
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args,
    locale: 'da-DK',
    timezoneId: 'Europe/Copenhagen',
    ...(options.mobile && phone
      ? {
          viewport: phone.viewport,
          deviceScaleFactor: phone.deviceScaleFactor,
          isMobile: true,
          hasTouch: true,
          userAgent: phone.userAgent,
        }
      : { viewport: { width: 1280, height: 900 } }),
  });
}
