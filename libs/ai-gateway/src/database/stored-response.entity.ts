import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A response kept for the Responses API (`stored_responses`, `store: true`): the Response
 * object and the conversation before it (earlier turns and the request's input items),
 * as JSON text, so `previous_response_id` continues it. Owned by the gateway key that
 * created it; gone after `expires_at` (`usage.responsesRetentionDays`). Changed only by
 * migrations.
 */
@Entity({ name: 'stored_responses' })
@Index('idx_stored_responses_expires_at', ['expiresAt'])
export class StoredResponseEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', primaryKeyConstraintName: 'pk_stored_responses' })
  id!: string;

  /** Non-secret id of the owning gateway key; null when auth is off. */
  @Column({ name: 'key_id', type: 'varchar', nullable: true })
  keyId!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;

  /** The conversation before the output, as Responses input items (JSON). */
  @Column({ name: 'input', type: 'text' })
  input!: string;

  /** The Response object as returned (JSON). */
  @Column({ name: 'response', type: 'text' })
  response!: string;
}
