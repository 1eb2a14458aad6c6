import type { FastifyInstance } from 'fastify';
import type { Permission } from './access/policy.js';
import type { Services } from '../services.js';

export interface EncryptedColumns {
  readonly table: string;
  readonly primaryKey: string;
  readonly columns: readonly string[];
}

/** Scheduled work; runs once per schedule tick across all instances (see src/platform/jobs). */
export interface JobDefinition {
  readonly name: string;
  /** Five-field cron expression, UTC (minute granularity). */
  readonly cron: string;
  run(services: Services): Promise<void>;
}

export interface NavItem {
  readonly href: string;
  readonly text: string;
  readonly permission: Permission;
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
  readonly navigation?: readonly NavItem[];
  register(app: FastifyInstance, services: Services): void | Promise<void>;
  readonly jobs?: readonly JobDefinition[];
  /** Adds clearly synthetic demo records; runs on start when SEED_DEMO is on, and from the CLI. Idempotent. */
  seedDemo?(services: Services): Promise<void>;
}
