import { useState } from 'preact/hooks';
import { Field } from '../components/ui';
import type { Period } from '../api/usage';
import { PERIODS } from '../api/usage';
import { fromLocalInput, toLocalInput } from '../lib/format';
import type { HistoryQuery } from './request-query';
import { CACHE_STATUSES, FILTER_FIELDS } from './request-query';

interface FiltersProps {
  value: HistoryQuery;
  onApply: (query: HistoryQuery) => void;
}

/** The history's filter form; applied on submit (Enter in any field, or the button). */
export function RequestFilters({ value, onApply }: FiltersProps) {
  const [draft, setDraft] = useState<HistoryQuery>(value);
  const setFilter = (name: string, text: string): void =>
    setDraft((d) => ({ ...d, filters: { ...d.filters, [name]: text.trim() || undefined } }));

  return (
    <form
      class="filters panel"
      aria-label="Filter requests"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <div class="field-grid">
        {FILTER_FIELDS.map((field) => (
          <Field key={field.name} id={`filter-${field.name}`} label={field.label}>
            <input
              id={`filter-${field.name}`}
              type="text"
              name={field.name}
              autoComplete="off"
              spellcheck={false}
              value={(draft.filters as Record<string, string | undefined>)[field.name] ?? ''}
              placeholder={field.name === 'status' ? 'ok, rate_limit_exceeded…' : 'any'}
              onInput={(event) => setFilter(field.name, event.currentTarget.value)}
            />
          </Field>
        ))}
        <Field id="filter-cache" label="Cache">
          <select
            id="filter-cache"
            name="cache"
            value={draft.filters.cache ?? ''}
            onChange={(event) => setFilter('cache', event.currentTarget.value)}
          >
            <option value="">any</option>
            {CACHE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </Field>
        <Field id="filter-period" label="Time window">
          <select
            id="filter-period"
            name="period"
            value={draft.period}
            onChange={(event) =>
              setDraft((d) => ({ ...d, period: event.currentTarget.value as Period | 'custom' }))
            }
          >
            {(Object.keys(PERIODS) as Period[]).map((p) => (
              <option key={p} value={p}>
                {PERIODS[p].label}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </Field>
        {draft.period === 'custom' ? (
          <>
            <Field id="filter-from" label="From">
              <input
                id="filter-from"
                type="datetime-local"
                name="from"
                required
                value={toLocalInput(draft.from)}
                onInput={(event) =>
                  setDraft((d) => ({ ...d, from: fromLocalInput(event.currentTarget.value) }))
                }
              />
            </Field>
            <Field id="filter-to" label="To">
              <input
                id="filter-to"
                type="datetime-local"
                name="to"
                value={toLocalInput(draft.to)}
                onInput={(event) =>
                  setDraft((d) => ({ ...d, to: fromLocalInput(event.currentTarget.value) }))
                }
              />
            </Field>
          </>
        ) : null}
      </div>
      <div class="form-actions">
        <button type="submit">Apply filters</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            const cleared: HistoryQuery = { filters: {}, period: '24h' };
            setDraft(cleared);
            onApply(cleared);
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
