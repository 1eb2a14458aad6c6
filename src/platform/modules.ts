import type { FastifyInstance } from 'fastify';
import type { Actor, Permission } from './access/policy.js';
import type { Services } from '../services.js';
import type { BlindIndexer } from './crypto/field-crypto.js';

export interface EncryptedColumns {
  readonly table: string;
  readonly primaryKey: string;
  readonly columns: readonly string[];
}

/** A table whose blind index columns are worked out from encrypted columns, so they can move to a new key. */
export interface BlindIndexedRows {
  readonly table: string;
  readonly primaryKey: string;
  /** The encrypted columns the indexes are worked out from. */
  readonly sources: readonly string[];
  /** Each index column's value from the decrypted sources (null for a source left empty), as written on insert. */
  indexes(indexer: BlindIndexer, plain: Readonly<Record<string, string | null>>): Readonly<Record<string, string | null>>;
}

/** Scheduled work; runs once per schedule tick across all instances (see src/platform/jobs). */
export interface JobDefinition {
  readonly name: string;
  /** Five-field cron expression, UTC (minute granularity). */
  readonly cron: string;
  run(services: Services): Promise<void>;
}

/** Something waiting for the signed-in person, listed on their home page with a link to it. */
export interface Waiting {
  readonly text: string;
  readonly href: string;
}

export interface NavItem {
  readonly href: string;
  readonly text: string;
  readonly permission: Permission;
  /** What is waiting there for this person (counts only, nothing about a case); asked only if they hold the permission. */
  readonly waiting?: (services: Services, actor: Actor) => Promise<readonly Waiting[]>;
}

/** A vertical slice of the product: its routes, its views and what it adds to the professional navigation. */
export interface FeatureModule {
  readonly name: string;
  readonly surface: 'public' | 'professional';
  readonly viewFolders: readonly string[];
  /** Folders of `<lang>.json` translation files for the module's page text. */
  readonly localeFolders?: readonly string[];
  /** Columns holding AES-GCM encrypted values, so key rotation can re-encrypt them. */
  readonly encryptedColumns?: readonly EncryptedColumns[];
  /** Tables with blind indexes, so `rotate-keys --blind-index` can work them out again under a new key. */
  readonly blindIndexes?: readonly BlindIndexedRows[];
  readonly navigation?: readonly NavItem[];
  /** Paths whose answers any site's code may read (open data feeds). */
  readonly openDataPaths?: readonly string[];
  /** The audit trail's id for a reference people read on this module's records ("R-3H87-QF9C"), if it is one. */
  recordIdOf?(services: Services, reference: string): Promise<string | undefined>;
  register(app: FastifyInstance, services: Services): void | Promise<void>;
  readonly jobs?: readonly JobDefinition[];
  /** Adds clearly synthetic demo records; runs on start when SEED_DEMO is on, and from the CLI. Idempotent. */
  seedDemo?(services: Services): Promise<void>;
}
