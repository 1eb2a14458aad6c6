import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { DisplayEvent } from './service.js';

const COLUMNS: ReadonlyArray<{ header: string; value: (event: DisplayEvent) => string | number | null }> = [
  { header: 'sequence', value: (event) => event.seq },
  { header: 'event_id', value: (event) => event.id },
  { header: 'at_utc', value: (event) => event.at },
  { header: 'action', value: (event) => event.action },
  { header: 'action_description', value: (event) => event.actionDescription },
  { header: 'outcome', value: (event) => event.outcome },
  { header: 'actor_user_id', value: (event) => event.actorUserId },
  { header: 'actor_name', value: (event) => event.actorName },
  { header: 'actor_organisation_id', value: (event) => event.organisationId },
  { header: 'actor_organisation', value: (event) => event.organisationName },
  { header: 'record_type', value: (event) => event.recordType },
  { header: 'record_id', value: (event) => event.recordId },
  { header: 'ip', value: (event) => event.ip },
  { header: 'request_id', value: (event) => event.requestId },
  { header: 'details', value: (event) => event.details.map(({ key, value }) => `${key}=${value}`).join('; ') },
  { header: 'hash', value: (event) => event.hash },
];

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or return) as a formula; a leading apostrophe
 * makes it text, so a name typed as a formula cannot run on the auditor's computer.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * Written for spreadsheets set to split on semicolons or tabs (many European Excel installations) too: a value holding
 * one is quoted, so "Name;=SUM(1)" stays one cell that starts with "Name", never a second cell holding a formula.
 */
export const SPREADSHEET_SAFE = { quoted_match: /[;\t]/ } as const;

function toRecord(event: DisplayEvent): string[] {
  return COLUMNS.map((column) => {
    const value = column.value(event);
    return value === null ? '' : neutraliseFormula(String(value));
  });
}

/**
 * Streams the events as CSV, one batch at a time, so an export of the whole trail needs little memory. A failure
 * part-way ends the download (the file is visibly cut short) and is reported to `onError`.
 */
export function auditCsv(events: AsyncIterable<DisplayEvent>, onError: (error: Error) => void): Readable {
  async function* records() {
    for await (const event of events) yield toRecord(event);
  }
  return pipeline(Readable.from(records()), stringify({ header: true, columns: COLUMNS.map((column) => column.header), bom: true, ...SPREADSHEET_SAFE }), (error) => {
    if (error) onError(error);
  });
}
