import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cprBlindIndex, deriveIndexKey, personProgramKey } from './blind-index.ts';

const masterKey = { id: 1, key: randomBytes(32) };

describe('cprBlindIndex', () => {
  it('is deterministic for the same key and CPR', () => {
    expect(cprBlindIndex(masterKey, '0101901234').equals(cprBlindIndex(masterKey, '0101901234'))).toBe(true);
    expect(cprBlindIndex(masterKey, '0101901234')).toHaveLength(32);
  });

  it('differs between CPRs and between master keys', () => {
    const other = { id: 1, key: randomBytes(32) };
    const tag = cprBlindIndex(masterKey, '0101901234');
    expect(tag.equals(cprBlindIndex(masterKey, '0101901235'))).toBe(false);
    expect(tag.equals(cprBlindIndex(other, '0101901234'))).toBe(false);
  });

  it('derives separate keys per purpose, none equal to the master key', () => {
    const cprKey = deriveIndexKey(masterKey, 'cpr-index');
    const programKey = deriveIndexKey(masterKey, 'person-program');
    expect(cprKey.equals(programKey)).toBe(false);
    expect(cprKey.equals(masterKey.key)).toBe(false);
  });
});

describe('personProgramKey', () => {
  it('is stable per person and program, and unlinkable across programs', () => {
    const a = personProgramKey(masterKey, '0101901234', 'program-1');
    expect(a.equals(personProgramKey(masterKey, '0101901234', 'program-1'))).toBe(true);
    expect(a.equals(personProgramKey(masterKey, '0101901234', 'program-2'))).toBe(false);
    expect(a.equals(personProgramKey(masterKey, '0101901235', 'program-1'))).toBe(false);
    expect(a.equals(cprBlindIndex(masterKey, '0101901234'))).toBe(false);
  });

  it('cannot be confused by shifting digits between CPR and program id', () => {
    expect(
      personProgramKey(masterKey, '010190123', '41').equals(personProgramKey(masterKey, '0101901234', '1')),
    ).toBe(false);
  });
});
