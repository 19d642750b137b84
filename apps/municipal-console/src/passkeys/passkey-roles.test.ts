import { describe, expect, it } from 'vitest';
import { needsPasskey } from './passkey-roles.ts';

describe('needsPasskey', () => {
  it.each([
    ['finance', true],
    ['admin', true],
    ['caseworker', false],
    ['auditor', false],
    [undefined, false],
  ])('%s → %s', (role, expected) => {
    expect(needsPasskey(role)).toBe(expected);
  });
});
