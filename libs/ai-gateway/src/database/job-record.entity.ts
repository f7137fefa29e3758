import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A task job of the in-process queue as the file store keeps it (`job_records`), so the
 * job history — and the jobs still waiting — survive a restart of the embedded default.
 * The job's data, result and error are JSON text written by the queue; the store does not
 * read inside them.
 */
@Entity({ name: 'job_records' })
@Index('idx_job_records_state_finished_at', ['state', 'finishedAt'])
export class JobRecordEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', primaryKeyConstraintName: 'pk_job_records' })
  id!: string;

  @Column({ name: 'type', type: 'varchar' })
  type!: string;

  /** `queued`, `running`, `retrying`, `completed` or `failed`. */
  @Column({ name: 'state', type: 'varchar' })
  state!: string;

  @Column({ name: 'attempts', type: 'integer' })
  attempts!: number;

  @Column({ name: 'max_attempts', type: 'integer' })
  maxAttempts!: number;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'started_at', type: Date, nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt!: Date | null;

  /** What the job runs with: type, input, model, caller, webhook (JSON). */
  @Column({ name: 'data', type: 'text' })
  data!: string;

  @Column({ name: 'result', type: 'text', nullable: true })
  result!: string | null;

  @Column({ name: 'error', type: 'text', nullable: true })
  error!: string | null;
}
