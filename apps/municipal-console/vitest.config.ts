import { defineConfig } from 'vitest/config';

/** Unit tests of the console's pure logic (money, CPR, validation), in Node. */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: { root: import.meta.dirname, include: ['src/**/*.test.ts'], environment: 'node' },
});
