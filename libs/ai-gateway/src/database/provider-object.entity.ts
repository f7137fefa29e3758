import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A file or batch made through the gateway in a provider's account (`provider_objects`):
 * which provider holds it and which gateway key owns it, so every later call goes to
 * that provider and only that key sees it. `object` is the provider's object as last
 * seen (JSON text), which the list calls answer from. Changed only by migrations.
 */
@Entity({ name: 'provider_objects' })
@Index('idx_provider_objects_owner', ['keyId', 'kind', 'createdAt'])
export class ProviderObjectEntity {
  /** The provider's own id (`file-…`, `batch_…`). */
  @PrimaryColumn({ name: 'id', type: 'varchar', primaryKeyConstraintName: 'pk_provider_objects' })
  id!: string;

  /** `file` or `batch`. */
  @Column({ name: 'kind', type: 'varchar' })
  kind!: string;

  /** The provider (config name) whose account holds it. */
  @Column({ name: 'provider', type: 'varchar' })
  provider!: string;

  /** Non-secret id of the owning gateway key; null when auth is off. */
  @Column({ name: 'key_id', type: 'varchar', nullable: true })
  keyId!: string | null;

  /** Who made it, for a key several users share: a batch's usage is booked to them. */
  @Column({ name: 'user_id', type: 'varchar', nullable: true })
  userId!: string | null;

  @Column({ name: 'team_id', type: 'varchar', nullable: true })
  teamId!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  /** The provider's object as last seen (JSON). */
  @Column({ name: 'object', type: 'text' })
  object!: string;

  /** Batches: their usage row has been written (once, whichever instance saw them end). */
  @Column({ name: 'accounted', type: 'boolean', default: false })
  accounted!: boolean;
}
