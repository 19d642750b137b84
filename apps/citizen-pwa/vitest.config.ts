import { defineConfig } from 'vitest/config';

/** Unit tests of the citizen app's pure logic (history lines), in Node. */
export default defineConfig({
  test: { root: import.meta.dirname, include: ['src/**/*.test.ts'], environment: 'node' },
});
