import { useState } from 'preact/hooks';
import { Field } from '../components/ui';
import type { PromptSettings } from './playground-run';

interface PlaygroundKeyProps {
  /** null: not chosen yet; '': call without a key. */
  value: string | null;
  onChange: (key: string) => void;
}

/** The gateway key the playground calls with when the session's admin key cannot. */
export function PlaygroundKey({ value, onChange }: PlaygroundKeyProps) {
  const [draft, setDraft] = useState('');
  const [editing, setEditing] = useState(value === null);
  const choose = (key: string): void => {
    onChange(key);
    setDraft('');
    setEditing(false);
  };
  return (
    <section class="panel" aria-labelledby="play-key-title">
      <h2 id="play-key-title">Key for model calls</h2>
      {!editing && value !== null ? (
        <div class="inline-form">
          <p>
            {value
              ? `Calling with gateway key …${value.slice(-4)}.`
              : 'Calling without a key (a gateway without auth).'}
          </p>
          <button type="button" class="secondary" onClick={() => setEditing(true)}>
            Change key
          </button>
        </div>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (draft.trim()) choose(draft.trim());
          }}
        >
          <p class="subtle">
            Model calls take a gateway key (gk_…), not the admin key, when the gateway checks keys:
            paste one (create it on the Keys page). It is kept for this tab only, like your sign-in.
            On a gateway without auth, call without a key.
          </p>
          <div class="inline-form">
            <Field id="play-key" label="Gateway key">
              <input
                id="play-key"
                type="password"
                autoComplete="off"
                spellcheck={false}
                value={draft}
                onInput={(event) => setDraft(event.currentTarget.value)}
              />
            </Field>
            <button type="submit">Use key</button>
            <button type="button" class="secondary" onClick={() => choose('')}>
              Call without a key
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

interface OptionsProps {
  value: PromptSettings;
  onChange: (update: (settings: PromptSettings) => PromptSettings) => void;
}

/** Sampling and gateway controls of a prompt (the `x-gateway-*` headers). */
export function PromptOptions({ value, onChange }: OptionsProps) {
  const set = <K extends keyof PromptSettings>(name: K, v: PromptSettings[K]): void =>
    onChange((s) => ({ ...s, [name]: v }));
  return (
    <fieldset class="options">
      <legend>Options</legend>
      <div class="field-grid">
        <Field id="play-temperature" label="Temperature">
          <input
            id="play-temperature"
            type="number"
            min={0}
            max={2}
            step={0.1}
            placeholder="default"
            value={value.temperature}
            onInput={(event) => set('temperature', event.currentTarget.value)}
          />
        </Field>
        <Field id="play-max-tokens" label="Max tokens">
          <input
            id="play-max-tokens"
            type="number"
            min={1}
            step={1}
            placeholder="default"
            value={value.maxTokens}
            onInput={(event) => set('maxTokens', event.currentTarget.value)}
          />
        </Field>
        <Field id="play-cache" label="Cache">
          <select
            id="play-cache"
            value={value.cache}
            onChange={(event) => set('cache', event.currentTarget.value as PromptSettings['cache'])}
          >
            <option value="">Gateway policy</option>
            <option value="skip">Skip (neither read nor store)</option>
            <option value="refresh">Refresh (fresh answer, stored)</option>
          </select>
        </Field>
        <Field id="play-max-cost" label="Max cost per request (USD)">
          <input
            id="play-max-cost"
            type="number"
            min={0}
            step="any"
            placeholder="none"
            value={value.maxCostUsd}
            onInput={(event) => set('maxCostUsd', event.currentTarget.value)}
          />
        </Field>
        <label class="field checkbox">
          <input
            type="checkbox"
            checked={value.stream}
            onChange={(event) => set('stream', event.currentTarget.checked)}
          />
          <span>Stream the answer</span>
        </label>
        <label class="field checkbox">
          <input
            type="checkbox"
            checked={value.fallback}
            onChange={(event) => set('fallback', event.currentTarget.checked)}
          />
          <span>Allow fallback from an explicitly named provider</span>
        </label>
      </div>
    </fieldset>
  );
}
