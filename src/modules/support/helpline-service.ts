import { z } from 'zod';
import type { Actor } from '../../platform/access/policy.js';
import { actedBy, type AuditService } from '../../platform/audit/service.js';
import type { RequestOrigin } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db/database.js';
import { newId, nowIso } from '../../platform/db/ids.js';
import { keptRead } from '../../platform/db/kept-read.js';
import { refuseConfidentialAddresses, type FieldsNamingConfidentialAddress } from './confidential-text.js';
import type { NamesAddress, PublishedTextNaming } from '../directory/confidential-guard.js';
import { UserFacingError } from '../../platform/http/errors.js';
import { languageOf, LANGUAGES, type LanguageCode } from '../../platform/i18n/translator.js';
import { readSeedHelplines, type HelplineSeed } from './content-files.js';
import * as repo from './repository.js';
import { dialOf, type HelplineInput } from './schemas.js';

/** A number in the help-now panel, in one language. */
export interface HelpNowLine {
  readonly code: string;
  readonly name: string;
  readonly availability: string;
  readonly displayNumber: string;
  readonly dial: string;
}

const textsSchema = z.record(z.string(), z.object({ name: z.string(), availability: z.string() }));
export type HelplineTexts = z.infer<typeof textsSchema>;

export interface HelplineServiceDeps {
  readonly db: Db;
  readonly audit: AuditService;
  readonly clock: () => Date;
  readonly fieldsNamingConfidentialAddress: FieldsNamingConfidentialAddress;
  readonly userName: (userId: string) => Promise<string | undefined>;
}

/** One saved change of a help-now number, as the audit trail recorded it. */
export interface HelplineChange {
  readonly at: string;
  readonly by: string;
  readonly from: string;
  readonly to: string;
  readonly checked: boolean;
  /** The words beside the number that changed ("name in English, hours in Polish"); empty for changes saved before they were recorded. */
  readonly texts: string;
}

const changeDetails = z.object({ from: z.string(), to: z.string(), checked: z.boolean(), texts: z.string().default('') });

/** Which of a number's words changed, as its change list names them. */
function textChanges(before: HelplineTexts, after: HelplineTexts): string {
  return LANGUAGES.flatMap((language) => {
    const [was, now] = [before[language.code], after[language.code]];
    const parts = (['name', 'availability'] as const).filter((part) => (was?.[part] ?? '') !== (now?.[part] ?? ''));
    return parts.map((part) => `${part === 'name' ? 'name' : 'when open and who for'} in ${language.englishName}`);
  }).join(', ');
}

/** How long an instance shows the numbers it read before reading them again (edits elsewhere appear within it). */
const CACHE_MS = 30_000;
/** A number not checked for this long is flagged to editors. */
export const RECHECK_AFTER_DAYS = 183;

export function parseTexts(json: string): HelplineTexts {
  const parsed = textsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : {};
}

/** The help-now phone numbers: shown on every public page, kept current by editors, each with its last check. */
export function createHelplineService({ db, audit, clock, fieldsNamingConfidentialAddress, userName }: HelplineServiceDeps) {
  // The lines in each language are worked out once per read: every public page shows them.
  const kept = keptRead(async () => ({ rows: await repo.listHelplines(db.kysely), localised: new Map<LanguageCode, HelpNowLine[]>() }), CACHE_MS, () => clock().getTime());

  function localise(row: repo.HelplineRow, lang: LanguageCode): HelpNowLine {
    const texts = parseTexts(row.texts);
    let text = texts[lang];
    for (let code: LanguageCode | null = languageOf(lang).fallback; (!text || !text.name) && code; code = languageOf(code).fallback) text = texts[code];
    return { code: row.code, name: text?.name ?? row.code, availability: text?.availability ?? '', displayNumber: row.display_number, dial: row.dial };
  }

  return {
    async seedMissing(seeds: readonly HelplineSeed[] = readSeedHelplines()): Promise<void> {
      const now = nowIso(clock);
      for (const [index, seed] of seeds.entries()) {
        await repo.insertHelpline(db.kysely, {
          id: newId(),
          code: seed.code,
          position: (index + 1) * 10,
          display_number: seed.displayNumber,
          dial: dialOf(seed.displayNumber),
          texts: JSON.stringify(seed.texts),
          source_note: seed.source,
          // Imported from the papers, not checked by a person: editors see it flagged until someone checks it.
          checked_on: null,
          version: 1,
          created_at: now,
          updated_at: now,
          updated_by: null,
        });
      }
      kept.forget();
    },

    /** The lines for the help-now panel in the reader's language (empty only if the database cannot be read). */
    async helpNow(lang: LanguageCode): Promise<HelpNowLine[]> {
      const current = await kept.get();
      let lines = current.localised.get(lang);
      if (!lines) {
        lines = current.rows.map((row) => localise(row, lang));
        current.localised.set(lang, lines);
      }
      return lines;
    },

    async listForEditors() {
      const today = clock();
      return (await repo.listHelplines(db.kysely)).map((row) => ({
        ...row,
        name: localise(row, 'en').name,
        overdue: !row.checked_on || daysBetween(row.checked_on, today) > RECHECK_AFTER_DAYS,
      }));
    },

    /** Help-now numbers whose text names an address (see the directory's warning on a location made confidential). */
    async textNaming(namesAddress: NamesAddress): Promise<PublishedTextNaming[]> {
      const rows = await repo.listHelplines(db.kysely);
      return rows
        .filter((row) => namesAddress([['displayNumber', row.display_number], ...Object.values(parseTexts(row.texts)).flatMap((text) => [['name', text.name], ['availability', text.availability]] as const)]))
        .map((row) => ({ kind: 'help-now number', name: localise(row, 'en').name, href: `/app/content/helplines/${row.id}` }));
    },

    async get(id: string) {
      const row = await repo.findHelpline(db.kysely, id);
      if (!row) throw new UserFacingError(404, 'There is no such phone number.', 'Not found');
      return { ...row, texts: parseTexts(row.texts) };
    },

    /**
     * The latest saved changes of a number, newest first: every public page shows it, so editors see who changed it
     * and from what (the audit trail is where each change is recorded; the numbers are public, not personal data).
     */
    async changes(id: string, limit = 10): Promise<HelplineChange[]> {
      // Read here, not through the audit search, which is an auditor's own audited read of the whole trail.
      const rows = await db.kysely
        .selectFrom('audit_events')
        .select(['at', 'actor_user_id', 'details'])
        .where('record_type', '=', 'support_helpline')
        .where('record_id', '=', id)
        .where('action', '=', 'HELPLINE_UPDATED')
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute();
      const changes = rows.flatMap((row) => {
        const details = changeDetails.safeParse(JSON.parse(row.details));
        return details.success ? [{ row, ...details.data }] : [];
      });
      return Promise.all(changes.map(async ({ row, ...change }) => ({ at: row.at, by: (row.actor_user_id ? await userName(row.actor_user_id) : undefined) ?? 'A former user', ...change })));
    },

    async update(actor: Actor, id: string, input: HelplineInput, origin: RequestOrigin): Promise<void> {
      // The numbers show on every public page: no text beside them may name a refuge's address.
      const shown = ['nameEn', 'availabilityEn', 'nameEasyRead', 'availabilityEasyRead', 'namePl', 'availabilityPl', 'displayNumber'] as const;
      await refuseConfidentialAddresses(fieldsNamingConfidentialAddress, shown.map((field) => [field, input[field]] as const));
      await db.kysely.transaction().execute(async (trx) => {
        const row = await repo.findHelpline(trx, id);
        if (!row) throw new UserFacingError(404, 'There is no such phone number.', 'Not found');
        const texts: HelplineTexts = {};
        const given: Record<LanguageCode, { name: string; availability: string }> = {
          en: { name: input.nameEn, availability: input.availabilityEn },
          'easy-read': { name: input.nameEasyRead, availability: input.availabilityEasyRead },
          pl: { name: input.namePl, availability: input.availabilityPl },
        };
        for (const language of LANGUAGES) if (given[language.code].name) texts[language.code] = given[language.code];
        const checkedOn = input.checked === 'yes' ? nowIso(clock).slice(0, 10) : row.checked_on;
        await repo.updateHelpline(trx, id, input.version, {
          display_number: input.displayNumber,
          dial: dialOf(input.displayNumber),
          texts: JSON.stringify(texts),
          source_note: input.sourceNote,
          checked_on: checkedOn,
          updated_at: nowIso(clock),
          updated_by: actor.userId,
        });
        await audit.recordWith(trx, {
          action: 'HELPLINE_UPDATED',
          ...actedBy(actor, origin),
          recordType: 'support_helpline',
          recordId: id,
          // Public phone numbers of public services, not personal data: kept so the trail shows what changed.
          details: { code: row.code, from: row.display_number, to: input.displayNumber, checked: input.checked === 'yes', texts: textChanges(parseTexts(row.texts), texts) },
        });
      });
      kept.forget();
    },
  };
}

function daysBetween(isoDate: string, today: Date): number {
  return Math.floor((today.getTime() - new Date(`${isoDate}T00:00:00Z`).getTime()) / 86_400_000);
}

export type HelplineService = ReturnType<typeof createHelplineService>;
