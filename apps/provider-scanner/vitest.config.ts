import { defineConfig } from 'vitest/config';

/** Unit tests of the scanner's pure logic (corrections, signing), in Node. */
export default defineConfig({
  test: { root: import.meta.dirname, include: ['src/**/*.test.ts'], environment: 'node' },
});
