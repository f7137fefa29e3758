import { Logger } from '@nestjs/common';
import type { Clock } from '../shared/clock';
import type { UsageDropReason, UsageMetrics } from './usage.metrics';

/** One log line per drop reason at most this often; the metric counts every row. */
const LOG_INTERVAL_MS = 10_000;

/** Gives usage rows up loudly: counted in `gateway_usage_rows_dropped_total`, logged (rate-limited). */
export class UsageDropLog {
  private readonly logger = new Logger('UsageWriter');
  private readonly loggedAt = new Map<UsageDropReason, number>();

  constructor(
    private readonly metrics: UsageMetrics,
    private readonly clock: Clock,
  ) {}

  drop(reason: UsageDropReason, count: number, message: string): void {
    this.metrics.rowsDropped(reason, count);
    const now = this.clock.now();
    if (now - (this.loggedAt.get(reason) ?? -Infinity) < LOG_INTERVAL_MS) return;
    this.loggedAt.set(reason, now);
    this.logger.error({ msg: message, reason, rows: count });
  }
}
