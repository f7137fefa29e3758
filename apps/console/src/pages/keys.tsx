import { useState } from 'preact/hooks';
import { createKey, keyAction, listKeys, updateKey } from '../api/gateway';
import type { GatewayKey, KeyInput } from '../api/types';
import { SecretReveal } from '../components/secret-reveal';
import {
  ErrorNotice,
  Hidden,
  Info,
  Loading,
  Page,
  TableWrap,
  errorMessage,
} from '../components/ui';
import { formatTime, formatUsd, orDash } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { useSession } from '../session/session-context';
import { KeyForm } from './key-form';
import { EMPTY_KEY_FORM, formOf } from './key-form-model';

interface Revealed {
  title: string;
  secret: string;
}

function stateOf(key: GatewayKey): string {
  if (key.disabled) return 'disabled';
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) return 'expired';
  return 'active';
}

function budgetText(key: GatewayKey): string {
  const b = key.budget;
  if (!b) return '—';
  const parts = [
    b.dailyUsd !== undefined ? `${formatUsd(b.dailyUsd)}/day` : '',
    b.monthlyUsd !== undefined ? `${formatUsd(b.monthlyUsd)}/month` : '',
    b.windowUsd !== undefined
      ? `${formatUsd(b.windowUsd)}/${Math.round((b.windowMs ?? 0) / 60_000)} min`
      : '',
  ].filter(Boolean);
  return parts.join(', ') || '—';
}

function limitsText(key: GatewayKey): string {
  const l = key.limits;
  if (!l) return '—';
  const parts = [
    l.requestsPerMinute !== undefined ? `${l.requestsPerMinute} req/min` : '',
    l.tokensPerMinute !== undefined ? `${l.tokensPerMinute} tok/min` : '',
    l.concurrentRequests !== undefined ? `${l.concurrentRequests} at once` : '',
  ].filter(Boolean);
  return parts.join(', ') || '—';
}

/** Gateway keys (admin key): create, list, edit, rotate, disable and enable. */
export function KeysPage() {
  const { api, session } = useSession();
  const admin = session.role === 'admin';
  const keys = useLoad((signal) => listKeys(api, { signal }), [], { enabled: admin });
  const [revealed, setRevealed] = useState<Revealed | undefined>();
  const [editing, setEditing] = useState<GatewayKey | undefined>();
  const [actionError, setActionError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const [createForm, setCreateForm] = useState(0);

  const create = async (input: KeyInput): Promise<void> => {
    const key = await createKey(api, input);
    setRevealed({ title: `New key “${key.name}”`, secret: key.key ?? '' });
    setNotice(`Key “${key.name}” created.`);
    setCreateForm((n) => n + 1);
    keys.reload();
  };
  const save = async (input: KeyInput): Promise<void> => {
    if (!editing) return;
    const key = await updateKey(api, editing.id, input);
    setEditing(undefined);
    setNotice(`Key “${key.name}” saved.`);
    keys.reload();
  };
  const act = async (key: GatewayKey, action: 'disable' | 'enable' | 'rotate'): Promise<void> => {
    setActionError(undefined);
    try {
      const updated = await keyAction(api, key.id, action);
      if (action === 'rotate') {
        setRevealed({ title: `New secret for “${key.name}”`, secret: updated.key ?? '' });
        setNotice(`Key “${key.name}” rotated: the old secret no longer works.`);
      } else {
        setNotice(`Key “${key.name}” ${action === 'disable' ? 'disabled' : 'enabled'}.`);
      }
      keys.reload();
    } catch (error) {
      setActionError(error);
    }
  };

  if (!admin) {
    return (
      <Page name="keys" title="Keys">
        <Info>
          Managing keys needs the admin key: the gateway's GATEWAY_ADMIN_KEY (auth.adminKey in its
          config; with GATEWAY_KEY_SECRET set too). Sign out and sign in with it.
        </Info>
      </Page>
    );
  }

  return (
    <Page name="keys" title="Keys">
      {revealed ? (
        <SecretReveal
          title={revealed.title}
          secret={revealed.secret}
          onDone={() => setRevealed(undefined)}
        />
      ) : null}
      <p class="subtle" role="status">
        {notice}
      </p>
      {actionError ? <ErrorNotice>{errorMessage(actionError)}</ErrorNotice> : null}
      {editing ? (
        <KeyForm
          key={editing.id}
          id="edit-key"
          title={`Edit “${editing.name}”`}
          submitLabel="Save changes"
          initial={formOf(editing)}
          original={editing}
          onSubmit={save}
          onCancel={() => setEditing(undefined)}
        />
      ) : null}
      <section class="panel" aria-labelledby="keys-list-heading">
        <h2 id="keys-list-heading">Gateway keys</h2>
        {keys.error ? <ErrorNotice error={keys.error} /> : null}
        {!keys.data && keys.loading ? <Loading /> : null}
        {keys.data && keys.data.length === 0 ? (
          <p class="subtle">No key yet: create one below.</p>
        ) : null}
        {keys.data && keys.data.length > 0 ? (
          <TableWrap label="Gateway keys">
            <table data-testid="keys-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Id</th>
                  <th scope="col">Secret ends</th>
                  <th scope="col">State</th>
                  <th scope="col">User / team</th>
                  <th scope="col">Allowed models</th>
                  <th scope="col">Budget</th>
                  <th scope="col">Limits</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Created</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((key) => (
                  <tr key={key.id} data-key-id={key.id}>
                    <th scope="row">{key.name}</th>
                    <td class="mono">{key.id}</td>
                    <td class="mono">…{key.hint}</td>
                    <td>
                      <span class={`badge badge-${stateOf(key)}`}>{stateOf(key)}</span>
                    </td>
                    <td>
                      {orDash(key.userId)} / {orDash(key.teamId)}
                      {key.multiUser ? <div class="subtle">multi-user</div> : null}
                    </td>
                    <td>{key.allowedModels?.join(', ') ?? 'any'}</td>
                    <td>{budgetText(key)}</td>
                    <td>{limitsText(key)}</td>
                    <td class="nowrap">{key.expiresAt ? formatTime(key.expiresAt) : 'never'}</td>
                    <td class="nowrap">{formatTime(key.createdAt)}</td>
                    <td>
                      <div class="row-actions">
                        <button
                          type="button"
                          class="secondary small"
                          onClick={() => setEditing(key)}
                        >
                          Edit<Hidden> {key.name}</Hidden>
                        </button>
                        <button
                          type="button"
                          class="secondary small"
                          onClick={() => void act(key, 'rotate')}
                        >
                          Rotate<Hidden> {key.name}</Hidden>
                        </button>
                        {key.disabled ? (
                          <button
                            type="button"
                            class="secondary small"
                            onClick={() => void act(key, 'enable')}
                          >
                            Enable<Hidden> {key.name}</Hidden>
                          </button>
                        ) : (
                          <button
                            type="button"
                            class="danger small"
                            onClick={() => void act(key, 'disable')}
                          >
                            Disable<Hidden> {key.name}</Hidden>
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : null}
      </section>
      <KeyForm
        key={`create-${createForm}`}
        id="create-key"
        title="New key"
        submitLabel="Create key"
        initial={EMPTY_KEY_FORM}
        onSubmit={create}
      />
    </Page>
  );
}
