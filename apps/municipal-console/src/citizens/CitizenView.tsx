import { useEffect, useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import type { Citizen, ProgramEligibility } from '../api/types.ts';
import { useLanguage, useT } from '../i18n/index.ts';
import { formatOre } from '../money/kroner.ts';
import { ErrorAlert, PageHeading, StatusMessage } from '../ui/components.tsx';
import { formatDate, formatDateTime } from '../ui/dates.ts';
import { EligibilityTable } from './EligibilityTable.tsx';
import { GdprActions } from './GdprActions.tsx';
import { PassActions } from './PassActions.tsx';

interface Props {
  citizenId: string;
  notice?: 'enrolled';
  onErased: () => void;
}

/** One citizen: personal details, grants and eligibility, pass and letter, GDPR requests. */
export function CitizenView({ citizenId, notice, onErased }: Props) {
  const t = useT();
  const [citizen, setCitizen] = useState<Citizen>();
  const [eligibility, setEligibility] = useState<ProgramEligibility[]>();
  const [error, setError] = useState<unknown>();

  async function load() {
    try {
      const [loaded, programs] = await Promise.all([
        apiJson<Citizen>('GET', `/citizens/${citizenId}`),
        apiJson<ProgramEligibility[]>('GET', `/citizens/${citizenId}/eligibility`),
      ]);
      setCitizen(loaded);
      setEligibility(programs);
      setError(undefined);
    } catch (caught) {
      setError(caught);
    }
  }

  useEffect(() => {
    void load();
  }, [citizenId]);

  if (error && !citizen) return <ErrorAlert error={error} />;
  if (!citizen || !eligibility) return <p role="status">{t('app.loading')}</p>;
  return (
    <div data-testid="citizen" data-citizen-id={citizen.id}>
      <PageHeading>
        {t('citizen.title')}: {citizen.name}
      </PageHeading>
      {notice === 'enrolled' ? <StatusMessage>{t('enrol.success')}</StatusMessage> : null}
      <ErrorAlert error={error} />
      <div class="grid-2">
        <PersonalDetails citizen={citizen} />
        <Grants citizen={citizen} />
      </div>
      <EligibilityTable citizenId={citizenId} eligibility={eligibility} onGranted={load} />
      <PassActions citizenId={citizenId} citizen={citizen} onChanged={load} />
      <GdprActions citizenId={citizenId} citizenName={citizen.name} onErased={onErased} />
    </div>
  );
}

function PersonalDetails({ citizen }: { citizen: Citizen }) {
  const t = useT();
  const language = useLanguage();
  const contact = [citizen.contact.email, citizen.contact.phone].filter(Boolean).join(', ');
  const accountStatus = t(`citizen.accountStatuses.${citizen.account.status}`, {
    defaultValue: citizen.account.status,
  });
  return (
    <section class="card" aria-labelledby="personal-title">
      <h2 id="personal-title">{t('citizen.personal')}</h2>
      <dl class="details">
        <dt>{t('citizen.cpr')}</dt>
        <dd data-testid="citizen-cpr">{citizen.cpr}</dd>
        <dt>{t('citizen.name')}</dt>
        <dd>{citizen.name}</dd>
        <dt>{t('citizen.address')}</dt>
        <dd>
          {citizen.address.street}, {citizen.address.postalCode} {citizen.address.city}
        </dd>
        <dt>{t('citizen.birthDate')}</dt>
        <dd>{formatDate(citizen.birthDate, language)}</dd>
        <dt>{t('citizen.children')}</dt>
        <dd>
          {citizen.childrenBirthYears.length > 0 ? citizen.childrenBirthYears.join(', ') : t('common.none')}
        </dd>
        <dt>{t('enrol.income')}</dt>
        <dd>
          {citizen.householdIncomeOre === null
            ? t('citizen.unknown')
            : formatOre(citizen.householdIncomeOre, language)}
        </dd>
        <dt>{t('citizen.contact')}</dt>
        <dd>{contact || t('common.none')}</dd>
        <dt>{t('citizen.enrolledAt')}</dt>
        <dd>{formatDateTime(citizen.enrolledAt, language)}</dd>
        <dt>{t('citizen.accountStatus')}</dt>
        <dd>{accountStatus}</dd>
        <dt>{t('citizen.pass')}</dt>
        <dd data-testid="citizen-pass">
          {citizen.currentPass
            ? t('citizen.passSerial', {
                serial: citizen.currentPass.serial,
                date: formatDate(citizen.currentPass.issuedAt, language),
              })
            : t('citizen.noPass')}
        </dd>
      </dl>
    </section>
  );
}

function Grants({ citizen }: { citizen: Citizen }) {
  const t = useT();
  const language = useLanguage();
  return (
    <section class="card" aria-labelledby="grants-title">
      <h2 id="grants-title">{t('citizen.grants')}</h2>
      {citizen.grants.length === 0 ? (
        <p>{t('citizen.noGrants')}</p>
      ) : (
        <ul class="plain-list" data-testid="citizen-grants">
          {citizen.grants.map((grant) => (
            <li key={grant.id}>
              <strong>{grant.programName}</strong>:{' '}
              {grant.amountOre !== null
                ? formatOre(grant.amountOre, language)
                : t('citizen.grantUses', { count: grant.uses ?? 0 })}{' '}
              <span class="muted">
                ({t('citizen.grantedAt', { date: formatDate(grant.grantedAt, language) })})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
