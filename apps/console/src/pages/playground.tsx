import { useEffect, useRef, useState } from 'preact/hooks';
import { listModels } from '../api/gateway';
import { ErrorNotice, Field, Info, Page, hintId } from '../components/ui';
import { useLoad } from '../lib/use-load';
import { loadPlaygroundKey, savePlaygroundKey } from '../session/session';
import { useSession } from '../session/session-context';
import type { LaneResult, LaneSpec, PromptSettings } from './playground-run';
import { runLane } from './playground-run';
import { LaneResultView } from './playground-result';
import { PlaygroundKey, PromptOptions } from './playground-fields';

const INITIAL: PromptSettings = {
  prompt: '',
  system: '',
  temperature: '',
  maxTokens: '',
  stream: true,
  fallback: false,
  cache: '',
  maxCostUsd: '',
};

const splitModels = (text: string): string[] =>
  text
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);

/**
 * Sends a prompt through the gateway like any client would (`POST /v1/chat/completions`),
 * streaming the answer as it arrives; "Compare" sends the same prompt to several models,
 * routes or chains side by side.
 */
export function PlaygroundPage() {
  const { api, session } = useSession();
  // Chat takes gateway keys: with auth on the admin key would be refused (and counted as a
  // wrong key), so an admin picks a gateway key here — or none, on a gateway without auth.
  const admin = session.role === 'admin';
  const [playKey, setPlayKey] = useState<string | null>(() => (admin ? loadPlaygroundKey() : null));
  const callKey = admin ? (playKey ?? undefined) : undefined;
  const canCall = !admin || playKey !== null;
  const models = useLoad((signal) => listModels(api, callKey, { signal }), [callKey], {
    enabled: canCall,
  });

  const [settings, setSettings] = useState<PromptSettings>(INITIAL);
  const [model, setModel] = useState('');
  const [chain, setChain] = useState('');
  const [compared, setCompared] = useState<string[]>([]);
  const [chains, setChains] = useState('');
  const [lanes, setLanes] = useState<LaneSpec[]>([]);
  const [results, setResults] = useState<Record<string, LaneResult>>({});
  const [formError, setFormError] = useState('');
  const running = useRef<AbortController | null>(null);
  const [busy, setBusy] = useState(false);

  const modelIds = models.data?.map((m) => m.id) ?? [];
  useEffect(() => {
    if (!model && modelIds.length > 0) setModel(modelIds[0]);
  }, [modelIds.join('\n')]);
  useEffect(() => () => running.current?.abort(), []);

  const run = async (specs: LaneSpec[]): Promise<void> => {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setLanes(specs);
    setResults(
      Object.fromEntries(
        specs.map((s) => [s.id, { status: 'running', text: '', rowState: 'none' }]),
      ),
    );
    setBusy(true);
    const snapshot = settings;
    await Promise.all(
      specs.map((spec) =>
        runLane(api, spec, snapshot, callKey, controller.signal, (patch) =>
          setResults((all) => ({ ...all, [spec.id]: { ...all[spec.id], ...patch } })),
        ),
      ),
    );
    if (running.current === controller) {
      running.current = null;
      setBusy(false);
    }
  };

  const check = (): boolean => {
    if (!settings.prompt.trim()) {
      setFormError('Write a prompt first.');
      return false;
    }
    setFormError('');
    return true;
  };
  const send = (): void => {
    if (!check()) return;
    if (!model) {
      setFormError('Choose a model.');
      return;
    }
    const list = splitModels(chain);
    void run([{ id: 'single', model: list[0] ?? model, chain: list.length ? list : undefined }]);
  };
  const compare = (): void => {
    if (!check()) return;
    const specs: LaneSpec[] = [
      ...compared.map((m, i) => ({ id: `m${i}`, model: m })),
      ...chains
        .split('\n')
        .map(splitModels)
        .filter((list) => list.length > 0)
        .map((list, i) => ({ id: `c${i}`, model: list[0], chain: list })),
    ];
    if (specs.length < 2) {
      setFormError('Pick at least two models, routes or chains to compare.');
      return;
    }
    void run(specs);
  };

  return (
    <Page name="playground" title="Playground">
      {admin ? (
        <PlaygroundKey
          value={playKey}
          onChange={(key) => {
            savePlaygroundKey(key);
            setPlayKey(key);
          }}
        />
      ) : null}
      {models.error ? <ErrorNotice error={models.error} /> : null}
      <form
        class="panel playground-form"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        {formError ? <ErrorNotice>{formError}</ErrorNotice> : null}
        <div class="field-grid two">
          <Field id="play-model" label="Model">
            <select
              id="play-model"
              value={model}
              onChange={(event) => setModel(event.currentTarget.value)}
              disabled={!canCall}
            >
              {modelIds.length === 0 ? (
                <option value="">{canCall ? 'Loading models…' : 'No key yet'}</option>
              ) : null}
              {modelIds.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </Field>
          <Field
            id="play-chain"
            label="Fallback chain override"
            hint="Comma-separated, tried in order (x-gateway-chain): overrides the route's strategy. Empty: as configured."
          >
            <input
              id="play-chain"
              type="text"
              value={chain}
              placeholder="e.g. openai/gpt-4o-mini, anthropic/claude-haiku-4-5"
              aria-describedby={hintId('play-chain')}
              onInput={(event) => setChain(event.currentTarget.value)}
            />
          </Field>
        </div>
        <Field id="play-prompt" label="Prompt">
          <textarea
            id="play-prompt"
            rows={4}
            required
            value={settings.prompt}
            onInput={(event) => {
              const prompt = event.currentTarget.value;
              setSettings((s) => ({ ...s, prompt }));
            }}
          />
        </Field>
        <Field id="play-system" label="System message">
          <textarea
            id="play-system"
            rows={2}
            value={settings.system}
            onInput={(event) => {
              const system = event.currentTarget.value;
              setSettings((s) => ({ ...s, system }));
            }}
          />
        </Field>
        <PromptOptions value={settings} onChange={setSettings} />
        <div class="form-actions">
          <button type="submit" disabled={!canCall}>
            Send
          </button>
          {busy ? (
            <button type="button" class="danger" onClick={() => running.current?.abort()}>
              Stop
            </button>
          ) : null}
        </div>
        <fieldset class="compare">
          <legend>Compare side by side</legend>
          <div class="checks">
            {modelIds.map((id) => (
              <label key={id} class="check">
                <input
                  type="checkbox"
                  checked={compared.includes(id)}
                  onChange={(event) => {
                    const on = event.currentTarget.checked;
                    setCompared((list) => (on ? [...list, id] : list.filter((m) => m !== id)));
                  }}
                />
                <span>{id}</span>
              </label>
            ))}
          </div>
          <Field id="play-chains" label="Chains to compare (one per line, comma-separated)">
            <textarea
              id="play-chains"
              rows={2}
              value={chains}
              onInput={(event) => setChains(event.currentTarget.value)}
            />
          </Field>
          <button type="button" onClick={compare} disabled={!canCall}>
            Compare
          </button>
        </fieldset>
      </form>
      {!canCall ? <Info>Enter a gateway key above to call models.</Info> : null}
      {lanes.length > 0 ? (
        <section aria-label="Answers" class={lanes.length > 1 ? 'lanes compare-lanes' : 'lanes'}>
          {lanes.map((lane) =>
            results[lane.id] ? (
              <LaneResultView key={lane.id} lane={lane} result={results[lane.id]} />
            ) : null,
          )}
        </section>
      ) : null}
    </Page>
  );
}
