import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { APPS_DIR, distDir, isBuilt, WEB_APPS, type WebApp } from './apps.ts';
import { initialJs } from './bundle-size.ts';

/**
 * Builds the apps the API serves. `--all` rebuilds every app (npm run build:apps); without it
 * only apps whose dist is missing or older than their sources (npm start, so a fresh clone
 * or an edited app just works). Folder names as arguments limit it to those apps. An app
 * without a vite.config.ts yet is skipped. On `npm start` one app failing to build does not
 * keep the others (and the API) from starting; with --all it fails the command.
 */
const CITIZEN_BUDGET_GZIP = 100 * 1024;

function newestSource(folder: string): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path))
        if (entry !== 'node_modules' && entry !== 'dist') visit(join(path, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const part of ['src', 'public', 'scripts', 'index.html', 'vite.config.ts', 'package.json'])
    visit(join(folder, part));
  return newest;
}

function needsBuild(app: WebApp, force: boolean): boolean {
  const folder = join(APPS_DIR, app.folder);
  if (!statSync(join(folder, 'vite.config.ts'), { throwIfNoEntry: false })) return false;
  if (force || !isBuilt(app)) return true;
  const builtAt = statSync(join(distDir(app), 'index.html')).mtimeMs;
  // The scanner's build also uses the citizen app's service-worker plugin.
  const shared = newestSource(join(APPS_DIR, 'citizen-pwa', 'scripts'));
  return Math.max(newestSource(folder), shared) > builtAt;
}

function report(app: WebApp): void {
  if (!isBuilt(app)) return;
  const size = initialJs(distDir(app));
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const budget = app.folder === 'citizen-pwa' ? ` (budget ${kb(CITIZEN_BUDGET_GZIP)})` : '';
  console.log(`${app.folder}: initial JS ${kb(size.gzipBytes)} gzipped, ${kb(size.bytes)} raw${budget}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const force = args.includes('--all');
  const only = args.filter((arg) => !arg.startsWith('--'));
  for (const app of WEB_APPS) {
    if (only.length > 0 && !only.includes(app.folder)) continue;
    if (!needsBuild(app, force || only.length > 0)) continue;
    console.log(`building ${app.folder} ...`);
    try {
      const root = join(APPS_DIR, app.folder);
      await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
      report(app);
    } catch (error) {
      console.error(`${app.folder}: build failed: ${error instanceof Error ? error.message : String(error)}`);
      if (force || only.length > 0) process.exitCode = 1;
    }
  }
  const citizen = WEB_APPS.find((app) => app.folder === 'citizen-pwa');
  if (citizen && isBuilt(citizen) && initialJs(distDir(citizen)).gzipBytes > CITIZEN_BUDGET_GZIP) {
    console.error('citizen-pwa: initial JavaScript is over its 100 KB gzipped budget');
    process.exitCode = 1;
  }
}

await main();
