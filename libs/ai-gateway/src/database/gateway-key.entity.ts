import type { ValueTransformer } from 'typeorm';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** JSON in a text column (portable between PostgreSQL and the embedded SQLite store). */
const json: ValueTransformer = {
  to: (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value)),
  from: (value: string | null): unknown => (value === null ? null : JSON.parse(value)),
};

/**
 * A gateway key (`gateway_keys`). The secret itself is never stored: only its keyed hash
 * (HMAC-SHA-256 with the configured `auth.hashSecret`) and a short hint (the last four
 * characters) so people can tell keys apart. Changed only by migrations.
 */
@Entity({ name: 'gateway_keys' })
@Index('uq_gateway_keys_secret_hash', ['secretHash'], { unique: true })
export class GatewayKeyEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', primaryKeyConstraintName: 'pk_gateway_keys' })
  id!: string;

  @Column({ name: 'name', type: 'varchar' })
  name!: string;

  @Column({ name: 'secret_hash', type: 'varchar' })
  secretHash!: string;

  @Column({ name: 'hint', type: 'varchar' })
  hint!: string;

  @Column({ name: 'user_id', type: 'varchar', nullable: true })
  userId!: string | null;

  @Column({ name: 'team_id', type: 'varchar', nullable: true })
  teamId!: string | null;

  /** A trusted multi-user backend: its requests may name the user they act for. */
  @Column({ name: 'multi_user', type: 'boolean', default: false })
  multiUser!: boolean;

  /** Model and route names the key may call (`*` suffix = prefix); null = any. */
  @Column({ name: 'allowed_models', type: 'text', nullable: true, transformer: json })
  allowedModels!: string[] | null;

  /** The key's own budget caps, in USD (same shape as a user's budget). */
  @Column({ name: 'budget', type: 'text', nullable: true, transformer: json })
  budget!: Record<string, number> | null;

  /** The key's own rate limits. */
  @Column({ name: 'limits', type: 'text', nullable: true, transformer: json })
  limits!: Record<string, number> | null;

  @Column({ name: 'expires_at', type: Date, nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'disabled_at', type: Date, nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'rotated_at', type: Date, nullable: true })
  rotatedAt!: Date | null;
}
