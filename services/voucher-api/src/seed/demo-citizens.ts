import { citizens } from '@voucher/db';
import { and, count, eq, isNull } from 'drizzle-orm';
import { enrolCitizen } from '../privacy/enrol-citizen.ts';
import type { EnrolDemoCitizens } from './demo.ts';

/** Fictitious people: invented names and addresses, CPR numbers with valid dates only. */
const FIRST_NAMES = ['Anna', 'Mads', 'Sofie', 'Jonas', 'Ida', 'Emil', 'Freja', 'Lukas', 'Clara', 'Noah'];
const LAST_NAMES = ['Demo-Jensen', 'Demo-Nielsen', 'Demo-Hansen', 'Demo-Pedersen'];
const STREETS = ['Prøvevej', 'Eksempelgade', 'Demoallé', 'Testvænget'];

/**
 * Enrols the demo municipality's citizens once (a restart finds them and does nothing).
 * Every other person has children, so both demo programs have someone to grant to.
 */
export const enrolDemoCitizens: EnrolDemoCitizens = async (deps, { actor, count: wanted }) => {
  const [row] = await deps.db
    .select({ enrolled: count() })
    .from(citizens)
    .where(and(eq(citizens.municipalityId, actor.municipalityId), isNull(citizens.erasedAt)));
  for (let i = row?.enrolled ?? 0; i < wanted; i++) {
    await enrolCitizen(deps, { actor, ...demoPerson(i) });
  }
};

function demoPerson(i: number) {
  const day = String((i % 27) + 1).padStart(2, '0');
  const month = String((i % 12) + 1).padStart(2, '0');
  const year = 1975 + i;
  // A 7th digit of 0-3 puts the birth year in the 1900s.
  const serial = `${i % 4}${String(100 + i).padStart(3, '0')}`;
  return {
    cpr: `${day}${month}${String(year).slice(2)}-${serial}`,
    name: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[i % LAST_NAMES.length]}`,
    address: { street: `${STREETS[i % STREETS.length]} ${i + 1}`, postalCode: '9999', city: 'Demoby' },
    birthDate: `${year}-${month}-${day}`,
    childrenBirthYears: i % 2 === 0 ? [2016 + (i % 8)] : [],
    contact: { email: `demo${i + 1}@example.invalid` },
    householdIncomeOre: BigInt(180_000_00 + i * 5_000_00),
  };
}
