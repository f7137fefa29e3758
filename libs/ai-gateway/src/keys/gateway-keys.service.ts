import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import { GatewayKeyEntity } from '../database/gateway-key.entity';
import type { GatewayKeyInput } from './gateway-key.input';
import { GatewayKeyRepository } from './gateway-key.repository';
import type { AuthenticatedKey, GatewayKeyView, IssuedKey, KeyCheck } from './gateway-key.types';

/** Prefix of every gateway key secret, so leaked keys are recognisable (secret scanners). */
export const GATEWAY_KEY_PREFIX = 'gk_';
/** Entries the lookup cache holds at most (unknown keys included). */
const CACHE_LIMIT = 10_000;
/** An unknown key is remembered this long at most (a key created elsewhere works soon after). */
const NEGATIVE_TTL_MS = 2_000;

interface CacheEntry {
  check: KeyCheck;
  until: number;
}

/**
 * Gateway keys: created, listed, updated, disabled and rotated by the admin API; checked
 * on every request. A secret is shown once and stored only as its HMAC-SHA-256 (keyed
 * with `auth.hashSecret`), looked up by that hash and compared in constant time. Checks
 * are cached in memory for `auth.cacheTtlMs`, so a request does not touch the database;
 * a change made on this instance applies here at once, on other instances within the TTL.
 */
@Injectable()
export class GatewayKeys implements OnModuleInit {
  private readonly logger = new Logger(GatewayKeys.name);
  private readonly cache = new Map<string, CacheEntry>();
  /** Per-process key for comparing the admin key (both sides hashed, equal lengths). */
  private readonly compareKey = randomBytes(32);

  constructor(
    private readonly config: GatewayConfigService,
    private readonly repository: GatewayKeyRepository,
    @InjectClock() private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const { auth } = this.config.current;
    if (auth.enabled && this.repository.volatile) {
      this.logger.warn({
        msg: 'gateway keys are kept in the in-memory embedded store and are lost at restart; set usage.databaseUrl (PostgreSQL) or usage.sqlitePath',
      });
    }
  }

  /** True when the presented secret is the configured admin key (constant time). */
  isAdminKey(presented: string | undefined): boolean {
    const adminKey = this.config.current.auth.adminKey;
    if (!adminKey || !presented) return false;
    const digest = (value: string): Buffer =>
      createHmac('sha256', this.compareKey).update(value).digest();
    return timingSafeEqual(digest(presented), digest(adminKey));
  }

  /** Checks a presented gateway key: from the cache, else the store. Never throws. */
  async check(secret: string): Promise<KeyCheck> {
    if (!secret.startsWith(GATEWAY_KEY_PREFIX) || secret.length > 256) return { status: 'invalid' };
    const now = this.clock.now();
    const hash = this.hash(secret);
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return this.expiryOf(cached.check, now);
    let entity: GatewayKeyEntity | undefined;
    try {
      entity = await this.repository.findByHash(hash);
    } catch (error) {
      // A known key keeps working from a stale entry while the store is away.
      if (cached) return this.expiryOf(cached.check, now);
      this.logger.warn({ msg: 'key store unavailable', error: String(error) });
      return { status: 'unavailable' };
    }
    const check = entity && sameHash(entity.secretHash, hash) ? checkOf(entity) : invalid;
    const ttl = this.config.current.auth.cacheTtlMs;
    this.remember(
      hash,
      check,
      now + (check.status === 'invalid' ? Math.min(ttl, NEGATIVE_TTL_MS) : ttl),
    );
    return this.expiryOf(check, now);
  }

  async create(input: GatewayKeyInput): Promise<IssuedKey> {
    const secret = this.newSecret();
    const entity: GatewayKeyEntity = {
      id: `key_${randomBytes(8).toString('hex')}`,
      name: input.name,
      secretHash: this.hash(secret),
      hint: secret.slice(-4),
      userId: input.userId ?? null,
      teamId: input.teamId ?? null,
      multiUser: input.multiUser ?? false,
      allowedModels: input.allowedModels ?? null,
      budget: plain(input.budget),
      limits: plain(input.limits),
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      disabledAt: null,
      createdAt: new Date(this.clock.now()),
      rotatedAt: null,
    };
    await this.repository.insert(entity);
    this.logger.log({ msg: 'gateway key created', keyId: entity.id, userId: entity.userId });
    return { key: viewOf(entity), secret };
  }

  async list(): Promise<GatewayKeyView[]> {
    return (await this.repository.list()).map(viewOf);
  }

  async get(id: string): Promise<GatewayKeyView> {
    return viewOf(await this.load(id));
  }

  /**
   * Changes a key's owner, scope, budget, limits, expiry, name or multi-user flag; `null`
   * clears a nullable field (no user, any model, no expiry, …).
   */
  async update(id: string, patch: Partial<GatewayKeyInput>): Promise<GatewayKeyView> {
    const entity = await this.load(id);
    if (patch.name !== undefined) entity.name = patch.name;
    if (patch.userId !== undefined) entity.userId = patch.userId;
    if (patch.teamId !== undefined) entity.teamId = patch.teamId;
    if (patch.multiUser !== undefined) entity.multiUser = patch.multiUser;
    if (patch.allowedModels !== undefined) entity.allowedModels = patch.allowedModels;
    if (patch.budget !== undefined) entity.budget = plain(patch.budget);
    if (patch.limits !== undefined) entity.limits = plain(patch.limits);
    if (patch.expiresAt !== undefined) {
      entity.expiresAt = patch.expiresAt === null ? null : new Date(patch.expiresAt);
    }
    await this.saved(entity);
    return viewOf(entity);
  }

  /** Refuses the key from now on (here at once, elsewhere within the cache TTL). */
  async disable(id: string): Promise<GatewayKeyView> {
    const entity = await this.load(id);
    entity.disabledAt ??= new Date(this.clock.now());
    await this.saved(entity);
    this.logger.log({ msg: 'gateway key disabled', keyId: id });
    return viewOf(entity);
  }

  async enable(id: string): Promise<GatewayKeyView> {
    const entity = await this.load(id);
    entity.disabledAt = null;
    await this.saved(entity);
    return viewOf(entity);
  }

  /** A new secret for the same key (id, owner, budget and history kept); the old one stops. */
  async rotate(id: string): Promise<IssuedKey> {
    const entity = await this.load(id);
    const secret = this.newSecret();
    entity.secretHash = this.hash(secret);
    entity.hint = secret.slice(-4);
    entity.rotatedAt = new Date(this.clock.now());
    await this.saved(entity);
    this.logger.log({ msg: 'gateway key rotated', keyId: id });
    return { key: viewOf(entity), secret };
  }

  private async saved(entity: GatewayKeyEntity): Promise<void> {
    await this.repository.save(entity);
    // A cached check of this key (under its old hash too) is stale now; changes are rare.
    this.cache.clear();
  }

  private async load(id: string): Promise<GatewayKeyEntity> {
    // Ids are ours (`key_` + 16 hex digits): anything else (a NUL, 10 KB) is not looked up.
    const entity = KEY_ID.test(id) ? await this.repository.findById(id) : undefined;
    if (!entity) throw new GatewayError(GatewayErrorCode.NOT_FOUND, `No gateway key '${id}'`);
    return entity;
  }

  private hash(secret: string): string {
    const hashSecret = this.config.current.auth.hashSecret;
    if (!hashSecret) {
      throw new GatewayError(GatewayErrorCode.INVALID_CONFIG, 'auth.hashSecret is not configured');
    }
    return createHmac('sha256', hashSecret).update(secret).digest('hex');
  }

  private newSecret(): string {
    return GATEWAY_KEY_PREFIX + randomBytes(24).toString('base64url');
  }

  private remember(hash: string, check: KeyCheck, until: number): void {
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(hash, { check, until });
  }

  private expiryOf(check: KeyCheck, now: number): KeyCheck {
    if (check.status === 'ok' && check.key.expiresAt !== undefined && check.key.expiresAt <= now) {
      return { status: 'expired' };
    }
    return check;
  }
}

const invalid: KeyCheck = { status: 'invalid' };
/** The shape of the ids {@link GatewayKeys.create} gives. */
const KEY_ID = /^key_[0-9a-f]{16}$/;

function sameHash(stored: string, computed: string): boolean {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(computed, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkOf(entity: GatewayKeyEntity): KeyCheck {
  if (entity.disabledAt) return { status: 'disabled' };
  const key: AuthenticatedKey = { id: entity.id };
  if (entity.userId) key.userId = entity.userId;
  if (entity.teamId) key.teamId = entity.teamId;
  if (entity.multiUser) key.multiUser = true;
  if (entity.allowedModels) key.allowedModels = entity.allowedModels;
  if (entity.budget) key.budget = entity.budget;
  if (entity.limits) key.limits = entity.limits;
  if (entity.expiresAt) key.expiresAt = entity.expiresAt.getTime();
  return { status: 'ok', key };
}

/** A validated input object as plain JSON (drops class instances and undefined fields). */
function plain<T extends object>(value: T | null | undefined): Record<string, number> | null {
  return value === undefined || value === null
    ? null
    : (JSON.parse(JSON.stringify(value)) as Record<string, number>);
}

function viewOf(entity: GatewayKeyEntity): GatewayKeyView {
  const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);
  return {
    id: entity.id,
    name: entity.name,
    hint: entity.hint,
    userId: entity.userId,
    teamId: entity.teamId,
    multiUser: entity.multiUser,
    allowedModels: entity.allowedModels,
    budget: entity.budget,
    limits: entity.limits,
    expiresAt: iso(entity.expiresAt),
    disabled: entity.disabledAt !== null,
    disabledAt: iso(entity.disabledAt),
    createdAt: entity.createdAt.toISOString(),
    rotatedAt: iso(entity.rotatedAt),
  };
}
