import { useState } from 'preact/hooks';
import { ApiError, apiJson } from '../api/client.ts';
import type { EnrolResponse } from '../api/types.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { ErrorAlert, ErrorSummary, Field, PageHeading } from '../ui/components.tsx';
import { parseCpr } from './cpr.ts';
import {
  EMPTY_ENROL_FORM,
  type EnrolField,
  type EnrolForm as EnrolFormValues,
  enrolBody,
  type FieldProblem,
  validateEnrolForm,
} from './enrol-validation.ts';

/** Where an API error belongs in the form, so it is shown next to the field it is about. */
const FIELD_OF_CODE: Record<string, EnrolField> = { CPR_INVALID: 'cpr', BIRTH_DATE_MISMATCH: 'birthDate' };
const FIELD_OF_PATH: Record<string, EnrolField> = {
  '/cpr': 'cpr',
  '/name': 'name',
  '/birthDate': 'birthDate',
  '/address/street': 'street',
  '/address/postalCode': 'postalCode',
  '/address/city': 'city',
  '/childrenBirthYears': 'childrenBirthYears',
  '/householdIncomeOre': 'householdIncome',
  '/contact/email': 'email',
  '/contact/phone': 'phone',
};

const LABEL_KEYS: Record<EnrolField, string> = {
  cpr: 'citizens.cprLabel',
  name: 'enrol.name',
  birthDate: 'enrol.birthDate',
  street: 'enrol.street',
  postalCode: 'enrol.postalCode',
  city: 'enrol.city',
  childrenBirthYears: 'enrol.children',
  householdIncome: 'enrol.income',
  email: 'enrol.email',
  phone: 'enrol.phone',
};

interface Props {
  initialCpr: string;
  onEnrolled: (citizenId: string) => void;
  onCancel: () => void;
}

export function EnrolForm({ initialCpr, onEnrolled, onCancel }: Props) {
  const t = useT();
  const language = useLanguage();
  const [form, setForm] = useState<EnrolFormValues>(() => ({
    ...EMPTY_ENROL_FORM,
    cpr: initialCpr,
    birthDate: parseCpr(initialCpr)?.birthDate ?? '',
  }));
  const [submitted, setSubmitted] = useState(false);
  // The API's objections per field, kept as errors and worded at render (in the current language).
  const [serverProblems, setServerProblems] = useState<Partial<Record<EnrolField, unknown>>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const problems = submitted ? validateEnrolForm(form, language) : {};
  const problemText = (field: EnrolField): string | undefined => {
    const problem: FieldProblem | undefined = problems[field];
    if (problem) return t(`validation.${problem}`);
    const objection = serverProblems[field];
    return objection ? errorTextForField(objection) : undefined;
  };

  function update(field: EnrolField, value: string) {
    setForm((previous) => {
      const next = { ...previous, [field]: value };
      // Fill the birth date from the CPR number unless the caseworker typed another one.
      if (field === 'cpr') {
        const previousDate = parseCpr(previous.cpr)?.birthDate ?? '';
        const derived = parseCpr(value)?.birthDate;
        if (derived && (previous.birthDate === '' || previous.birthDate === previousDate)) {
          next.birthDate = derived;
        }
      }
      return next;
    });
    setServerProblems((previous) => ({ ...previous, [field]: undefined }));
  }

  async function submit(event: Event) {
    event.preventDefault();
    setSubmitted(true);
    setError(undefined);
    if (Object.keys(validateEnrolForm(form, language)).length > 0) return;
    setBusy(true);
    try {
      const enrolled = await apiJson<EnrolResponse>('POST', '/citizens', enrolBody(form, language));
      onEnrolled(enrolled.citizenId);
    } catch (caught) {
      const field = fieldOfError(caught);
      if (field) setServerProblems({ [field]: caught });
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  function errorTextForField(caught: unknown): string {
    if (caught instanceof ApiError && caught.code !== 'VALIDATION_FAILED') return t(`errors.${caught.code}`);
    return t('errors.VALIDATION_FAILED');
  }

  const fieldProps = (field: EnrolField) => ({
    id: `enrol-${field}`,
    label: t(LABEL_KEYS[field]),
    value: form[field],
    onValue: (value: string) => update(field, value),
    error: problemText(field),
  });
  const summary = (Object.keys(LABEL_KEYS) as EnrolField[])
    .map((field) => ({ field, text: problemText(field) }))
    .filter((entry): entry is { field: EnrolField; text: string } => Boolean(entry.text))
    .map(({ field, text }) => ({ fieldId: `enrol-${field}`, label: t(LABEL_KEYS[field]), text }));

  return (
    <>
      <PageHeading>{t('enrol.title')}</PageHeading>
      <p>{t('enrol.intro')}</p>
      <ErrorSummary problems={summary} />
      <ErrorAlert error={error} />
      <form onSubmit={submit} noValidate class="card">
        <fieldset>
          <legend>{t('enrol.person')}</legend>
          <Field
            {...fieldProps('cpr')}
            hint={t('citizens.cprHint')}
            inputMode="numeric"
            autoComplete="off"
            spellcheck={false}
            maxLength={16}
          />
          <Field {...fieldProps('name')} autoComplete="off" maxLength={200} />
          <Field
            {...fieldProps('birthDate')}
            hint={t('enrol.birthDateHint')}
            autoComplete="off"
            maxLength={10}
          />
        </fieldset>
        <fieldset>
          <legend>{t('enrol.address')}</legend>
          <Field {...fieldProps('street')} autoComplete="off" maxLength={200} />
          <div class="field-row">
            <Field {...fieldProps('postalCode')} inputMode="numeric" autoComplete="off" maxLength={4} />
            <Field {...fieldProps('city')} autoComplete="off" maxLength={100} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('enrol.household')}</legend>
          <Field
            {...fieldProps('childrenBirthYears')}
            hint={t('enrol.childrenHint')}
            autoComplete="off"
            optional
          />
          <Field
            {...fieldProps('householdIncome')}
            hint={t('enrol.incomeHint')}
            inputMode="decimal"
            autoComplete="off"
            optional
          />
        </fieldset>
        <fieldset>
          <legend>{t('enrol.contact')}</legend>
          <Field {...fieldProps('email')} type="email" autoComplete="off" optional />
          <Field {...fieldProps('phone')} type="tel" autoComplete="off" optional />
        </fieldset>
        <div class="actions">
          <button type="submit" class="button button--primary" disabled={busy}>
            {busy ? t('enrol.busy') : t('enrol.submit')}
          </button>
          <button type="button" class="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </>
  );
}

function fieldOfError(caught: unknown): EnrolField | undefined {
  if (!(caught instanceof ApiError)) return undefined;
  if (FIELD_OF_CODE[caught.code]) return FIELD_OF_CODE[caught.code];
  const path = typeof caught.details.path === 'string' ? caught.details.path : '';
  const missing =
    typeof caught.details.field === 'string' ? `${path === '/' ? '' : path}/${caught.details.field}` : '';
  return FIELD_OF_PATH[path] ?? FIELD_OF_PATH[missing];
}
