import type { ValueTransformer } from 'typeorm';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** int8 comes back as a string from PostgreSQL: micro-dollars fit a double exactly (< 2^53). */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/**
 * One row per gateway request (`usage_log`). Column types are the ones PostgreSQL and
 * sql.js (the embedded store) share; the migrations create the precise types
 * (`timestamptz` on PostgreSQL, `datetime` on SQLite), which is why `created_at` is
 * declared as a plain `Date` here. The table is only ever changed by migrations.
 */
@Entity({ name: 'usage_log' })
@Index('idx_usage_log_created_at', ['createdAt'])
@Index('idx_usage_log_user_created_at', ['userId', 'createdAt'])
@Index('idx_usage_log_team_created_at', ['teamId', 'createdAt'])
@Index('idx_usage_log_provider_model_created_at', ['provider', 'model', 'createdAt'])
export class UsageLogEntity {
  @PrimaryColumn({ name: 'request_id', type: 'varchar', primaryKeyConstraintName: 'pk_usage_log' })
  requestId!: string;

  /** The caller's own id (`x-client-request-id` / `x-request-id`); never a key. */
  @Column({ name: 'client_request_id', type: 'varchar', nullable: true })
  clientRequestId!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'key_id', type: 'varchar', nullable: true })
  keyId!: string | null;

  @Column({ name: 'user_id', type: 'varchar', nullable: true })
  userId!: string | null;

  @Column({ name: 'team_id', type: 'varchar', nullable: true })
  teamId!: string | null;

  @Column({ name: 'task', type: 'varchar', nullable: true })
  task!: string | null;

  /** The API door: `chat.completions`, `responses`, `messages`, `embeddings`, … */
  @Column({ name: 'ingress', type: 'varchar', nullable: true })
  ingress!: string | null;

  @Column({ name: 'route', type: 'varchar', nullable: true })
  route!: string | null;

  @Column({ name: 'provider', type: 'varchar', nullable: true })
  provider!: string | null;

  @Column({ name: 'model', type: 'varchar', nullable: true })
  model!: string | null;

  @Column({ name: 'prompt_tokens', type: 'integer', default: 0 })
  promptTokens!: number;

  @Column({ name: 'completion_tokens', type: 'integer', default: 0 })
  completionTokens!: number;

  @Column({ name: 'cached_tokens', type: 'integer', default: 0 })
  cachedTokens!: number;

  @Column({ name: 'reasoning_tokens', type: 'integer', default: 0 })
  reasoningTokens!: number;

  /** Micro-dollars (1e-6 USD); null when the model had no price. */
  @Column({ name: 'cost_micro_usd', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  costMicroUsd!: number | null;

  /** Cache hits: what the answer cost when it was produced, saved by this request. */
  @Column({ name: 'cost_saved_micro_usd', type: 'bigint', default: 0, transformer: bigintAsNumber })
  costSavedMicroUsd!: number;

  @Column({ name: 'priced', type: 'boolean', default: false })
  priced!: boolean;

  @Column({ name: 'price_source', type: 'varchar', nullable: true })
  priceSource!: string | null;

  @Column({ name: 'latency_ms', type: 'integer', default: 0 })
  latencyMs!: number;

  @Column({ name: 'ttft_ms', type: 'integer', nullable: true })
  ttftMs!: number | null;

  /** `ok` or the gateway error code. */
  @Column({ name: 'status', type: 'varchar' })
  status!: string;

  @Column({ name: 'error_code', type: 'varchar', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'cache_status', type: 'varchar', nullable: true })
  cacheStatus!: string | null;

  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  /** `provider/model=outcome, …` */
  @Column({ name: 'fallback_chain', type: 'text', nullable: true })
  fallbackChain!: string | null;

  @Column({ name: 'stream', type: 'boolean', default: false })
  stream!: boolean;

  @Column({ name: 'stream_completed', type: 'boolean', nullable: true })
  streamCompleted!: boolean | null;

  @Column({ name: 'budget_note', type: 'text', nullable: true })
  budgetNote!: string | null;

  /** The last user message, only while `logging.logPrompts` is on; null otherwise. */
  @Column({ name: 'prompt_text', type: 'text', nullable: true })
  promptText!: string | null;

  /** The middleware's decisions (`name=decision, …`); null without middleware. */
  @Column({ name: 'guardrails', type: 'varchar', length: 1000, nullable: true })
  guardrails!: string | null;
}
