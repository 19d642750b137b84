import { type MoneyLocale, parseKronerInput } from '../money/kroner.ts';
import { parseCpr } from './cpr.ts';

/**
 * Client-side checks of the enrolment form that mirror the API's schema and rules
 * (routes/citizens/schemas.ts), so the caseworker sees every problem at once, next to the
 * field, before anything is sent. The API still checks everything again.
 */
export interface EnrolForm {
  cpr: string;
  name: string;
  street: string;
  postalCode: string;
  city: string;
  birthDate: string;
  childrenBirthYears: string;
  /** Yearly household income in kroner as typed ("285.000,00"); empty if not known. */
  householdIncome: string;
  email: string;
  phone: string;
}

export type EnrolField = keyof EnrolForm;
/** i18n keys under `validation.` */
export type FieldProblem =
  | 'required'
  | 'cprInvalid'
  | 'birthDateMismatch'
  | 'dateInvalid'
  | 'postalCodeInvalid'
  | 'yearsInvalid'
  | 'emailInvalid'
  | 'phoneInvalid'
  | 'tooLong'
  | 'amountInvalid';

export interface EnrolBody {
  cpr: string;
  name: string;
  address: { street: string; postalCode: string; city: string };
  birthDate: string;
  childrenBirthYears: number[];
  contact: { email?: string; phone?: string };
  householdIncomeOre?: string;
}

export const EMPTY_ENROL_FORM: EnrolForm = {
  cpr: '',
  name: '',
  street: '',
  postalCode: '',
  city: '',
  birthDate: '',
  childrenBirthYears: '',
  householdIncome: '',
  email: '',
  phone: '',
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ]{8,20}$/;

export function validateEnrolForm(
  form: EnrolForm,
  locale: MoneyLocale = 'da',
): Partial<Record<EnrolField, FieldProblem>> {
  const problems: Partial<Record<EnrolField, FieldProblem>> = {};
  const cpr = parseCpr(form.cpr);
  if (!form.cpr.trim()) problems.cpr = 'required';
  else if (!cpr) problems.cpr = 'cprInvalid';
  requireText(problems, 'name', form.name, 200);
  requireText(problems, 'street', form.street, 200);
  requireText(problems, 'city', form.city, 100);
  if (!form.postalCode.trim()) problems.postalCode = 'required';
  else if (!/^\d{4}$/.test(form.postalCode.trim())) problems.postalCode = 'postalCodeInvalid';
  if (!form.birthDate.trim()) problems.birthDate = 'required';
  else if (!ISO_DATE.test(form.birthDate.trim())) problems.birthDate = 'dateInvalid';
  else if (cpr && cpr.birthDate !== form.birthDate.trim()) problems.birthDate = 'birthDateMismatch';
  if (parseBirthYears(form.childrenBirthYears) === undefined) problems.childrenBirthYears = 'yearsInvalid';
  if (form.householdIncome.trim() && parseKronerInput(form.householdIncome, locale) === undefined) {
    problems.householdIncome = 'amountInvalid';
  }
  if (form.email.trim() && (!EMAIL.test(form.email.trim()) || form.email.trim().length > 254)) {
    problems.email = 'emailInvalid';
  }
  if (form.phone.trim() && !PHONE.test(form.phone.trim())) problems.phone = 'phoneInvalid';
  return problems;
}

/** "2015, 2018" → [2015, 2018]; empty → []; anything else → undefined. */
export function parseBirthYears(text: string): number[] | undefined {
  const parts = text
    .split(/[,\s;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length > 20) return undefined;
  const years = parts.map((part) => (/^\d{4}$/.test(part) ? Number(part) : Number.NaN));
  if (years.some((year) => !(year >= 1900 && year <= 2200))) return undefined;
  return years;
}

/** The request body for POST /citizens, from a form that passed validation. */
export function enrolBody(form: EnrolForm, locale: MoneyLocale = 'da'): EnrolBody {
  const contact: EnrolBody['contact'] = {};
  if (form.email.trim()) contact.email = form.email.trim();
  if (form.phone.trim()) contact.phone = form.phone.trim();
  const body: EnrolBody = {
    cpr: form.cpr.trim(),
    name: form.name.trim(),
    address: { street: form.street.trim(), postalCode: form.postalCode.trim(), city: form.city.trim() },
    birthDate: form.birthDate.trim(),
    childrenBirthYears: parseBirthYears(form.childrenBirthYears) ?? [],
    contact,
  };
  const incomeOre = form.householdIncome.trim() ? parseKronerInput(form.householdIncome, locale) : undefined;
  if (incomeOre !== undefined) body.householdIncomeOre = incomeOre.toString();
  return body;
}

function requireText(
  problems: Partial<Record<EnrolField, FieldProblem>>,
  field: EnrolField,
  value: string,
  maxLength: number,
) {
  if (!value.trim()) problems[field] = 'required';
  else if (value.trim().length > maxLength) problems[field] = 'tooLong';
}
