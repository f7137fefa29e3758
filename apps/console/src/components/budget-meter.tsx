import type { BudgetEntry } from '../api/types';
import { formatPercent, formatUsd } from '../lib/format';

/** Spend against a cap: `$1.20 of $5.00 (daily)` with a meter; no cap → spend only. */
export function BudgetMeter({ entry }: { entry: BudgetEntry }) {
  const { limitUsd, spentUsd, reservedUsd } = entry;
  const used = spentUsd + reservedUsd;
  const label = `${entry.scope} ${entry.id} ${entry.window} budget`;
  if (limitUsd === null || limitUsd <= 0) {
    return (
      <span>
        {formatUsd(spentUsd)} spent <span class="subtle">({entry.window}, no cap)</span>
      </span>
    );
  }
  const share = used / limitUsd;
  return (
    <span class="budget">
      <meter
        min={0}
        max={limitUsd}
        low={limitUsd * 0.75}
        high={limitUsd * 0.9}
        optimum={0}
        value={Math.min(used, limitUsd)}
        aria-label={label}
      />
      <span>
        {formatUsd(spentUsd)} of {formatUsd(limitUsd)}{' '}
        <span class="subtle">
          ({entry.window}, {formatPercent(share)}
          {reservedUsd > 0 ? `, ${formatUsd(reservedUsd)} reserved` : ''})
        </span>
      </span>
    </span>
  );
}
