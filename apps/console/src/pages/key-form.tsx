import { useState } from 'preact/hooks';
import type { GatewayKey, KeyInput } from '../api/types';
import { ErrorNotice, Field, errorMessage, hintId } from '../components/ui';
import type { KeyFormState } from './key-form-model';
import { KeyFormError, keyInputOf } from './key-form-model';

interface KeyFormProps {
  /** `create-key` or `edit-key`: ids of the form's hints. */
  id: string;
  title: string;
  submitLabel: string;
  initial: KeyFormState;
  original?: GatewayKey;
  onSubmit: (input: KeyInput) => Promise<void>;
  onCancel?: () => void;
}

type TextField = Exclude<keyof KeyFormState, 'multiUser'>;

/** The fields of a gateway key: who it is for, what it may call, its budget, limits and expiry. */
export function KeyForm({
  id,
  title,
  submitLabel,
  initial,
  original,
  onSubmit,
  onCancel,
}: KeyFormProps) {
  const [state, setState] = useState<KeyFormState>(initial);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const field = (name: TextField, label: string, options: FieldOptions = {}) => {
    const common = {
      name,
      required: options.required,
      autoComplete: 'off',
      placeholder: options.placeholder,
      'aria-describedby': options.hint ? hintId(`${id}-${name}`) : undefined,
      'aria-invalid': error instanceof KeyFormError && error.field === name ? true : undefined,
      value: state[name],
      onInput: (event: { currentTarget: HTMLInputElement }) => {
        const value = event.currentTarget.value;
        setState((s) => ({ ...s, [name]: value }));
      },
    };
    const controlId = `${id}-${name}`;
    return (
      <Field
        id={controlId}
        label={
          <>
            {label}
            {options.required ? <span aria-hidden="true"> *</span> : null}
          </>
        }
        hint={options.hint}
      >
        {options.dateTime ? (
          <input id={controlId} type="datetime-local" {...common} />
        ) : (
          <input
            id={controlId}
            type="text"
            inputMode={options.inputMode}
            spellcheck={false}
            {...common}
          />
        )}
      </Field>
    );
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    let input: KeyInput;
    try {
      input = keyInputOf(state, original);
    } catch (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    try {
      await onSubmit(input);
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="panel key-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => void submit(event)}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {error ? <ErrorNotice>{errorMessage(error)}</ErrorNotice> : null}
      <div class="field-grid">
        {field('name', 'Name', { required: true, placeholder: 'billing-service' })}
        {field('userId', 'User id', { hint: 'Its usage and budget count against this user.' })}
        {field('teamId', 'Team id')}
        {field('allowedModels', 'Allowed models', {
          placeholder: 'any',
          hint: 'Models or routes, comma-separated; openai/* allows a prefix. Empty: any.',
        })}
        {field('dailyUsd', 'Daily budget (USD)', { inputMode: 'decimal', placeholder: 'none' })}
        {field('monthlyUsd', 'Monthly budget (USD)', { inputMode: 'decimal', placeholder: 'none' })}
        {field('requestsPerMinute', 'Requests per minute', {
          inputMode: 'numeric',
          placeholder: 'no limit',
        })}
        {field('tokensPerMinute', 'Tokens per minute', {
          inputMode: 'numeric',
          placeholder: 'no limit',
        })}
        {field('concurrentRequests', 'Concurrent requests', {
          inputMode: 'numeric',
          placeholder: 'no limit',
        })}
        {field('expiresAt', 'Expires at', {
          dateTime: true,
          hint: 'Your local time. Empty: never.',
        })}
        <label class="field checkbox">
          <input
            type="checkbox"
            name="multiUser"
            checked={state.multiUser}
            onChange={(event) => {
              const checked = event.currentTarget.checked;
              setState((s) => ({ ...s, multiUser: checked }));
            }}
          />
          <span>Multi-user backend (its requests may say which user they act for)</span>
        </label>
      </div>
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

interface FieldOptions {
  dateTime?: boolean;
  inputMode?: 'decimal' | 'numeric';
  required?: boolean;
  placeholder?: string;
  hint?: string;
}
