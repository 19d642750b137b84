import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { apiJson } from '../api/client.ts';
import { useT } from '../i18n/index.ts';
import { browserRefusal } from '../passkeys/browser-refusal.ts';
import { signChallenge } from '../passkeys/sign-challenge.ts';
import { Dialog, ErrorAlert } from '../ui/components.tsx';
import { needsEnrolment, relayBody, type StepChallenge } from './officer-signing.ts';

/**
 * "Sign this step" for every money step: fetch what is to be signed, let the officer read it
 * in plain words, sign its digest with their own passkey, and relay the signature. One hook
 * holds the state; SignedStepDialog and SignedStepProblem show it the same way on every page.
 */

/** One step to sign, as a page starts it. */
export interface SignedStepRequest<C extends StepChallenge, R> {
  /** The relay's path; the challenge is `${path}/challenge`. */
  path: string;
  /** The step's own fields, sent to the challenge and (with the deadline and assertion) to the relay. */
  fields?: Record<string, unknown>;
  /** Fields only the relay states, taken from what the challenge named (propose's totalOre). */
  relayFields?: (challenge: C) => Record<string, unknown>;
  /** A refusal of the challenge the page answers itself: returns true when it did. */
  onRefused?: (error: unknown) => boolean;
  /** After the relay answered: the page reloads and says what happened. */
  onSigned: (result: R, challenge: C) => void | Promise<void>;
}

export type SignedStepBusy = 'fetching' | 'signing' | undefined;

export interface SignedStep<C extends StepChallenge, R> {
  busy: SignedStepBusy;
  /** What the officer is about to sign; the dialog is open while it is set. */
  challenge: C | undefined;
  /** The request the open challenge belongs to (to name what it concerns). */
  request: SignedStepRequest<C, R> | undefined;
  error: unknown;
  start: (request: SignedStepRequest<C, R>) => Promise<void>;
  sign: () => Promise<void>;
  cancel: () => void;
  setError: (error: unknown) => void;
}

export function useSignedStep<C extends StepChallenge, R>(): SignedStep<C, R> {
  const [busy, setBusy] = useState<SignedStepBusy>();
  const [open, setOpen] = useState<{ request: SignedStepRequest<C, R>; challenge: C }>();
  const [error, setError] = useState<unknown>();

  async function start(request: SignedStepRequest<C, R>) {
    setBusy('fetching');
    setError(undefined);
    setOpen(undefined);
    try {
      const challenge = await apiJson<C>('POST', `${request.path}/challenge`, request.fields);
      setOpen({ request, challenge });
    } catch (caught) {
      if (!request.onRefused?.(caught)) setError(caught);
    } finally {
      setBusy(undefined);
    }
  }

  async function sign() {
    const named = open;
    setOpen(undefined);
    if (!named) return;
    const { request, challenge } = named;
    setBusy('signing');
    try {
      const assertion = await signChallenge(challenge.digest);
      const fields = { ...request.fields, ...request.relayFields?.(challenge) };
      const result = await apiJson<R>('POST', request.path, relayBody(fields, challenge, assertion));
      await request.onSigned(result, challenge);
    } catch (caught) {
      setError(browserRefusal(caught));
    } finally {
      setBusy(undefined);
    }
  }

  return {
    busy,
    challenge: open?.challenge,
    request: open?.request,
    error,
    start,
    sign,
    cancel: () => setOpen(undefined),
    setError,
  };
}

/** The label of the button that starts a step: what it does, or how far it got. */
export function useSignedStepLabel(): (busy: SignedStepBusy, idle: string) => string {
  const t = useT();
  return (busy, idle) =>
    busy === 'fetching' ? t('signing.fetching') : busy === 'signing' ? t('signing.signing') : idle;
}

/**
 * The confirmation: what will be signed in plain words, "Bekræft med din adgangsnøgle", and
 * Annullér. Signing is the confirmation; nothing happens before it.
 */
export function SignedStepDialog<C extends StepChallenge, R>({
  step,
  title,
  text,
  children,
  signLabel,
}: {
  step: SignedStep<C, R>;
  title: string;
  /** What signing does, in plain words, from the challenge's answer. */
  text: (challenge: C) => string;
  children?: ComponentChildren;
  signLabel?: string;
}) {
  const t = useT();
  const { challenge } = step;
  return (
    <Dialog title={title} open={challenge !== undefined} onClose={step.cancel}>
      {challenge ? <p data-testid="signed-step-text">{text(challenge)}</p> : null}
      {children}
      <div class="actions">
        <button type="button" class="button button--primary" onClick={() => void step.sign()}>
          {signLabel ?? t('signing.sign')}
        </button>
        <button type="button" class="button" onClick={step.cancel}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}

/** The step's failure in the officer's language, and the way to a passkey when that is the cause. */
export function SignedStepProblem({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  return (
    <>
      <ErrorAlert error={error} />
      {needsEnrolment(error) ? (
        <p data-testid="signing-enrol">
          {t('signing.enrol')} <a href="#/passkeys">{t('nav.passkeys')}</a>
        </p>
      ) : null}
    </>
  );
}
