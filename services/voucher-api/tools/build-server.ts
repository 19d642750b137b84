/**
 * Compiles the API into one JavaScript file, `dist/server.js`, which `npm start` runs with
 * plain node. Running through the tsx loader costs about 70 MB more memory for the life of
 * the process (its loader thread and the transformed sources it keeps), and the benchmark's
 * memory target is for the API as it runs in production.
 *
 * Only our own code is bundled (the API and the `@voucher/*` workspace packages); npm
 * packages stay imports, resolved from node_modules as usual, so PGlite's WebAssembly and
 * pino's worker find their files where they always do.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const API_ROOT = resolve(import.meta.dirname, '..');
const REPO_ROOT = resolve(API_ROOT, '../..');

/** The workspace packages' entry points, as their package.json `exports` name them. */
const WORKSPACE_ENTRIES: Record<string, string> = {
  '@voucher/db': join(REPO_ROOT, 'db/src/index.ts'),
  '@voucher/contracts': join(REPO_ROOT, 'contracts/abi/index.ts'),
  '@voucher/contracts/deploy': join(REPO_ROOT, 'contracts/deploy/deploy.ts'),
};

/** Bundles the workspace packages instead of leaving them to node, which cannot load .ts. */
const workspacePackages: Plugin = {
  name: 'workspace-packages',
  setup(bundle) {
    bundle.onResolve({ filter: /^@voucher\// }, ({ path }) => {
      const entry = WORKSPACE_ENTRIES[path];
      if (!entry) return { errors: [{ text: `no bundle entry for workspace import ${path}` }] };
      return { path: entry };
    });
  },
};

/**
 * Keeps every file's `import.meta.url` pointing at its source file, so paths computed from it
 * (the migrations folder, the apps' builds, the bank-file schema) mean what they do under tsx.
 */
const sourceFileUrls: Plugin = {
  name: 'source-file-urls',
  setup(bundle) {
    bundle.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const url = JSON.stringify(pathToFileURL(path).href);
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

export async function buildServer(outfile = join(API_ROOT, 'dist/server.js')): Promise<string> {
  await build({
    entryPoints: [join(API_ROOT, 'src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [workspacePackages, sourceFileUrls],
  });
  return outfile;
}

if (fileURLToPath(import.meta.url) === resolve(process.argv[1] ?? '')) {
  const outfile = await buildServer();
  console.log(`built ${dirname(outfile)}/server.js`);
}
