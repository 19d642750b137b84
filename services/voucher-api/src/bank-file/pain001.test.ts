import { describe, expect, it } from 'vitest';
import { formatKroner } from './kroner.ts';
import { buildPain001 } from './pain001.ts';
import { PAIN_001_XSD, painSchemaAvailable, validateAgainstPainSchema } from './xsd-validation.ts';

const batch = {
  messageId: 'VOUCHER-S7-P3',
  createdAt: new Date('2027-02-01T09:30:00.000Z'),
  executionDate: new Date('2027-02-01T09:30:00.000Z'),
  debtor: { name: 'Demo Kommune', iban: 'DK5000400440116243', bic: 'DABADKKK' },
  transfers: [
    {
      endToEndId: 'VOUCHER-P3-PRV1',
      amountOre: 15_000n,
      creditorName: 'Idræt & Co',
      creditorIban: 'DK8030000012345678',
      remittance: 'period 3',
    },
    {
      endToEndId: 'VOUCHER-P3-PRV2',
      amountOre: 25_050n,
      creditorName: 'Kulturhus <Nord>',
      creditorIban: 'DK3852950001234567',
      remittance: 'period 3',
    },
    {
      endToEndId: 'VOUCHER-P3-PRV9',
      amountOre: 1n,
      creditorName: 'Bog',
      creditorIban: 'DK5912340009876543',
      remittance: 'period 3',
    },
  ],
};

describe('pain.001.001.03 bank file', () => {
  it('states the count and control sum of its transactions, in DKK with two decimals', () => {
    const xml = buildPain001(batch);
    expect(xml.match(/<NbOfTxs>3<\/NbOfTxs>/g)).toHaveLength(2);
    expect(xml.match(/<CtrlSum>400\.51<\/CtrlSum>/g)).toHaveLength(2);
    expect(xml).toContain('<InstdAmt Ccy="DKK">0.01</InstdAmt>');
    expect(xml).toContain('<EndToEndId>VOUCHER-P3-PRV2</EndToEndId>');
    expect(xml).toContain('Kulturhus &lt;Nord&gt;');
  });

  it('formats øre exactly, also beyond what a float could hold', () => {
    expect(formatKroner(0n)).toBe('0.00');
    expect(formatKroner(5n)).toBe('0.05');
    expect(formatKroner(12_550n)).toBe('125.50');
    expect(formatKroner(123_456_789_012_345_678_901n)).toBe('1234567890123456789.01');
  });

  it('dates the file in Copenhagen time with its offset, and asks for the Copenhagen date', () => {
    const at = (iso: string) =>
      buildPain001({ ...batch, createdAt: new Date(iso), executionDate: new Date(iso) });
    const winter = at('2027-02-01T09:30:00.000Z');
    expect(winter).toContain('<CreDtTm>2027-02-01T10:30:00+01:00</CreDtTm>');
    expect(winter).toContain('<ReqdExctnDt>2027-02-01</ReqdExctnDt>');
    // Half past midnight in Copenhagen is still the previous day in UTC.
    const afterMidnight = at('2027-01-14T23:30:00.000Z');
    expect(afterMidnight).toContain('<CreDtTm>2027-01-15T00:30:00+01:00</CreDtTm>');
    expect(afterMidnight).toContain('<ReqdExctnDt>2027-01-15</ReqdExctnDt>');
    // The night the clocks go forward (2027-03-28, 02:00 → 03:00): before and after the change.
    const beforeChange = at('2027-03-27T23:30:00.000Z');
    expect(beforeChange).toContain('<CreDtTm>2027-03-28T00:30:00+01:00</CreDtTm>');
    expect(beforeChange).toContain('<ReqdExctnDt>2027-03-28</ReqdExctnDt>');
    expect(at('2027-03-28T01:00:00.000Z')).toContain('<CreDtTm>2027-03-28T03:00:00+02:00</CreDtTm>');
    // Summer: a quarter to midnight UTC is already tomorrow in Copenhagen.
    const summer = at('2027-07-31T22:15:00.000Z');
    expect(summer).toContain('<CreDtTm>2027-08-01T00:15:00+02:00</CreDtTm>');
    expect(summer).toContain('<ReqdExctnDt>2027-08-01</ReqdExctnDt>');
    // The night the clocks go back (2027-10-31, 03:00 → 02:00): the hour 02:xx happens twice.
    expect(at('2027-10-31T00:30:00.000Z')).toContain('<CreDtTm>2027-10-31T02:30:00+02:00</CreDtTm>');
    expect(at('2027-10-31T01:30:00.000Z')).toContain('<CreDtTm>2027-10-31T02:30:00+01:00</CreDtTm>');
  });

  // The XSD lives in ../shared, beside the repository (as on CI). Without it these tests fail
  // naming the path they looked in, rather than skip.
  it('is valid against the official XSD', async () => {
    expect(painSchemaAvailable(), `the pain.001 XSD is missing: ${PAIN_001_XSD}`).toBe(true);
    const result = await validateAgainstPainSchema(buildPain001(batch));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    const summer = new Date('2027-07-31T22:15:00.000Z');
    const summerFile = buildPain001({ ...batch, createdAt: summer, executionDate: summer });
    expect((await validateAgainstPainSchema(summerFile)).errors).toEqual([]);
  });

  it('the schema check can fail: a debtor IBAN with a space is refused', async () => {
    expect(painSchemaAvailable(), `the pain.001 XSD is missing: ${PAIN_001_XSD}`).toBe(true);
    const broken = buildPain001({ ...batch, debtor: { ...batch.debtor, iban: 'DK50 0040' } });
    expect((await validateAgainstPainSchema(broken)).valid).toBe(false);
  });
});
