import type { AuditService } from '../../../platform/audit/service.js';
import type { Db } from '../../../platform/db/database.js';
import { newId, nowIso } from '../../../platform/db/ids.js';
import { keptRead } from '../../../platform/db/kept-read.js';
import { activeRuleSetRows, insertMissingOrganisation, insertRuleSet, organisationIdsBySlug, ruleSetCountForArea, ruleSetRowById, type RuleSetRow } from './repository.js';
import { ruleSetSchema, targetSlugs, type RuleSet } from './schema.js';
import { readRoutingFile } from './seed-file.js';
import { upgradeRules } from './upgrades.js';

export interface LoadedRuleSet {
  readonly id: string;
  readonly maracArea: string;
  readonly version: number;
  readonly status: RuleSetRow['status'];
  readonly rules: RuleSet;
}

export interface RoutingRulesDeps {
  readonly db: Db;
  readonly audit: AuditService;
  readonly clock: () => Date;
}

const ACTIVE_KEPT_MS = 1000;

/**
 * Versioned routing rule sets: one active per MARAC area. A version is never edited once made; a change is a new
 * version, so every referral can show the exact rules it was routed by.
 */
export function createRoutingRules({ db, audit, clock }: RoutingRulesDeps) {
  // Versions never change once written, so a parsed version can be kept for the life of the process.
  const parsed = new Map<string, RuleSet>();

  function load(row: RuleSetRow): LoadedRuleSet {
    let rules = parsed.get(row.id);
    if (!rules) {
      rules = ruleSetSchema.parse(JSON.parse(row.rules));
      parsed.set(row.id, rules);
    }
    return { id: row.id, maracArea: row.marac_area, version: row.version, status: row.status, rules };
  }

  // Read by every referral; activation here forgets it at once, activation on another instance is seen within a second.
  const active = keptRead(async () => (await activeRuleSetRows(db.kysely)).map(load), ACTIVE_KEPT_MS);

  return {
    /**
     * Loads seed/routing-rules.json as version 1 of each MARAC area that has no rules yet, with any receiving
     * organisation it names that is missing, and brings older rules up to what the platform now routes on (see
     * upgrades.ts). Idempotent, so it is safe on every start and in every test.
     */
    async ensureSeeded(): Promise<void> {
      const file = readRoutingFile();
      const now = nowIso(clock);
      await db.kysely.transaction().execute(async (trx) => {
        for (const organisation of file.organisations) await insertMissingOrganisation(trx, organisation, now, newId());
        for (const ruleSet of file.ruleSets) {
          if ((await ruleSetCountForArea(trx, ruleSet.maracArea)) > 0) {
            for (const upgraded of await upgradeRules(trx, ruleSet, now)) {
              await audit.recordWith(trx, { action: 'ROUTING_RULE_SET_ACTIVATED', recordType: 'routing_rule_set', recordId: upgraded.id, details: { maracArea: ruleSet.maracArea, version: upgraded.version, previousVersion: upgraded.previousVersion, via: 'upgrade' } });
            }
            continue;
          }
          const known = new Set((await organisationIdsBySlug(trx, targetSlugs(ruleSet))).map((row) => row.slug));
          const missing = targetSlugs(ruleSet).filter((slug) => !known.has(slug));
          if (missing.length > 0) throw new Error(`seed/routing-rules.json (${ruleSet.maracArea}) routes to organisations that do not exist: ${missing.join(', ')}. Seed reference data first.`);
          const id = newId();
          const inserted = await insertRuleSet(trx, {
            id,
            marac_area: ruleSet.maracArea,
            version: 1,
            status: 'active',
            rules: JSON.stringify(ruleSet),
            change_note: 'First version, loaded from seed/routing-rules.json.',
            created_by_user_id: null,
            created_at: now,
            activated_at: now,
            activated_by_user_id: null,
            retired_at: null,
          });
          if (inserted) await audit.recordWith(trx, { action: 'ROUTING_RULE_SET_ACTIVATED', recordType: 'routing_rule_set', recordId: id, details: { maracArea: ruleSet.maracArea, version: 1, via: 'seed' } });
        }
      });
      active.forget();
    },

    /** The active rule set of each MARAC area. The list is shared: callers must not change it. */
    active(): Promise<readonly LoadedRuleSet[]> {
      return active.get();
    },

    /** To be called once a change to which versions are active has committed. */
    forgetActive(): void {
      active.forget();
    },

    /** The active rule set covering a district, or undefined when no MARAC area covers it. */
    async activeForDistrict(district: string): Promise<LoadedRuleSet | undefined> {
      return (await active.get()).find((ruleSet) => ruleSet.rules.districts.includes(district));
    },

    async byId(id: string): Promise<LoadedRuleSet | undefined> {
      const row = await ruleSetRowById(db.kysely, id);
      return row ? load(row) : undefined;
    },
  };
}

export type RoutingRules = ReturnType<typeof createRoutingRules>;
