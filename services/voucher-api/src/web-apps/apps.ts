import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's apps folder (this file is services/voucher-api/src/web-apps/apps.ts). */
export const APPS_DIR = fileURLToPath(new URL('../../../../apps/', import.meta.url));

export interface WebApp {
  /** Folder under apps/. */
  folder: string;
  /** Path the API serves it under, without the trailing slash; equals the app's Vite `base`. */
  prefix: `/${string}`;
  title: { da: string; en: string };
  audience: { da: string; en: string };
}

/** The three apps, in the order the start page lists them (paths agreed in API-CONTRACT.md). */
export const WEB_APPS: readonly WebApp[] = [
  {
    folder: 'citizen-pwa',
    prefix: '/citizen',
    title: { da: 'Mit pas', en: 'My pass' },
    audience: {
      da: 'Til borgere: aktivér passet, vis QR-koden, se tilskud.',
      en: 'For citizens: activate the pass, show the QR code, see vouchers.',
    },
  },
  {
    folder: 'provider-scanner',
    prefix: '/scanner',
    title: { da: 'Pas-scanner', en: 'Pass scanner' },
    audience: {
      da: 'Til butikker og klubber: scan passet og indløs.',
      en: 'For shops and clubs: scan the pass and redeem.',
    },
  },
  {
    folder: 'municipal-console',
    prefix: '/console',
    title: { da: 'Kommunens konsol', en: 'Municipal console' },
    audience: {
      da: 'Til sagsbehandlere og økonomi: tilmeld borgere, afregn perioder, se forbruget.',
      en: 'For caseworkers and finance: enrol citizens, settle periods, see spending.',
    },
  },
];

export function distDir(app: WebApp, appsDir = APPS_DIR): string {
  return join(appsDir, app.folder, 'dist');
}

export function isBuilt(app: WebApp, appsDir = APPS_DIR): boolean {
  return existsSync(join(distDir(app, appsDir), 'index.html'));
}
