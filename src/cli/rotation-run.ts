import type { TableRotation } from '../platform/crypto/rotation.js';
import type { Services } from '../services.js';
import { complain, say } from './output.js';

/** What differs between rotating the encryption keys and the blind index key: the words, and the audit action. */
export interface RotationWording {
  readonly action: 'KEYS_ROTATED' | 'BLIND_INDEXES_ROTATED';
  /** Per table and in the summary: "re-encrypted", "row(s) re-indexed". */
  readonly done: string;
  /** "key k2026…", "the current key". */
  readonly under: string;
  readonly details: Record<string, string>;
  /** The command that picks up what a running service wrote with the previous key. */
  readonly resume: string;
  /** Said when nothing needed doing although the keys come from the environment: how to start a rotation. */
  readonly nothingToDo: string;
  /** Heading above the rows that could not be rewritten. */
  readonly problems: string;
}

function describe(result: TableRotation, wording: RotationWording): string {
  const parts = [`${String(result.rewritten)} ${wording.done}`, `${String(result.alreadyCurrent)} already current`];
  if (result.changedMeanwhile > 0) parts.push(`${String(result.changedMeanwhile)} row(s) changed by the service meanwhile`);
  if (result.unreadable.length > 0) parts.push(`${String(result.unreadable.length)} could not be rewritten`);
  return `  ${result.table.padEnd(28)} ${parts.join(', ')}`;
}

/**
 * Runs a rotation over every table, reporting each as it finishes, audits it, and tells the operator what is left to
 * do. The exit code is 1 when anything could not be rewritten.
 */
export async function runRotation(
  services: Services,
  rotate: (onTable: (result: TableRotation) => void) => Promise<TableRotation[]>,
  wording: RotationWording,
  situation: { readonly fromEnvironment: boolean; readonly addedKey: boolean },
): Promise<void> {
  const results = await rotate((result) => {
    say(describe(result, wording));
  });
  const total = (pick: (result: TableRotation) => number) => results.reduce((sum, result) => sum + pick(result), 0);
  const problems = results.flatMap((result) => result.unreadable);
  await services.audit.record({
    action: wording.action,
    outcome: problems.length > 0 ? 'failure' : 'success',
    details: { ...wording.details, rewritten: total((result) => result.rewritten), changedMeanwhile: total((result) => result.changedMeanwhile), unreadable: problems.length, via: 'operator' },
  });
  say('', `Done: ${String(total((result) => result.rewritten))} ${wording.done}, ${String(total((result) => result.alreadyCurrent))} already under ${wording.under}.`);
  if (total((result) => result.changedMeanwhile) > 0) say('Some rows changed while this ran and kept the service’s own write; run the command again to pick them up.');
  if (situation.fromEnvironment && total((result) => result.rewritten) === 0) say(wording.nothingToDo);
  if (situation.addedKey) {
    say(
      'A running service already reads with the new key. It keeps writing with the previous key until it restarts:',
      `restart it when convenient, then run \`npm run cli -- ${wording.resume}\` to pick up what it wrote meanwhile.`,
    );
  }
  if (problems.length > 0) {
    complain(`${wording.problems} (they were left as they are):`, ...problems.map((where) => `  - ${where}`));
  }
}
