import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n/index.ts';
import { errorCode, errorText } from './error-text.ts';

interface FieldProps extends Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'label' | 'value' | 'onInput'> {
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  /** Already translated problem text; sets aria-invalid and is read with the field. */
  error?: string;
  optional?: boolean;
}

/** A labelled input with its hint and error tied to it for screen readers. */
export function Field({ label, value, onValue, hint, error, optional, id, ...input }: FieldProps) {
  const t = useT();
  const generatedId = useId();
  const inputId = (id as string | undefined) ?? generatedId;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label for={inputId}>
        {label}
        {optional ? <span class="field__optional"> ({t('common.optional')})</span> : null}
      </label>
      {hint ? (
        <p class="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
      <input
        {...input}
        id={inputId}
        value={value}
        onInput={(event) => onValue((event.target as HTMLInputElement).value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
      />
    </div>
  );
}

/** A failure from the API, translated; announced when it appears. */
export function ErrorAlert({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  return (
    <div class="alert alert--error" role="alert" data-error-code={errorCode(error)}>
      <strong>{t('common.errorTitle')}: </strong>
      {errorText(t, error)}
    </div>
  );
}

/** A success or progress message, announced politely. */
export function StatusMessage({ children }: { children: ComponentChildren }) {
  if (!children) return null;
  return (
    <div class="alert alert--success" role="status">
      {children}
    </div>
  );
}

interface DialogProps {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ComponentChildren;
  /** Escape does not close it: the only ways out are its own buttons. */
  modal?: boolean;
}

/**
 * A modal dialog on the native <dialog>: the browser traps focus, Escape closes it, and focus
 * returns to what opened it.
 */
export function Dialog({ title, open, onClose, children, modal }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const opener = document.activeElement as HTMLElement | null;
      dialog.showModal();
      return () => opener?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        if (modal) event.preventDefault();
      }}
    >
      {open ? (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}

/** A page heading that takes focus when the page opens, so screen readers announce it. */
export function PageHeading({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1} class="page-heading">
      {children}
    </h1>
  );
}

/** Errors from a form's fields, listed above it and linked to each field. */
export function ErrorSummary({ problems }: { problems: { fieldId: string; label: string; text: string }[] }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length > 0) ref.current?.focus();
  }, [problems.length]);
  if (problems.length === 0) return null;
  return (
    <div class="alert alert--error" role="alert" tabIndex={-1} ref={ref}>
      <strong>{t('common.fixErrors', { count: problems.length })}</strong>
      <ul>
        {problems.map((problem) => (
          <li key={problem.fieldId}>
            <a
              href={`#${problem.fieldId}`}
              // The address holds the screen's route: move focus to the field without touching it.
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(problem.fieldId)?.focus();
              }}
            >
              {problem.label}: {problem.text}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A message for the screen, kept as "how to say it" rather than as text, so it follows a
 * language switch made after it appeared.
 */
export function useMessage(): [string | undefined, (render: (() => string) | undefined) => void] {
  useT();
  const [render, setRender] = useState<(() => string) | undefined>(undefined);
  return [render?.(), (next) => setRender(() => next)];
}
