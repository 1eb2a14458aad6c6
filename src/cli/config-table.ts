import type { Command } from 'commander';
import type { z } from 'zod';
import { configSchema } from '../config.js';
import { say } from './output.js';

interface Described {
  readonly def: { readonly type: string; readonly defaultValue?: unknown; readonly in?: unknown; readonly innerType?: unknown };
  readonly description?: string;
}

/** The default of a setting, looking through the wrappers (transforms, pipes) Zod puts around it. */
function defaultOf(schema: Described): unknown {
  if (schema.def.type === 'default') return schema.def.defaultValue;
  if (schema.def.type === 'pipe' && schema.def.in) return defaultOf(schema.def.in as Described);
  return undefined;
}

function requirement(schema: Described): string {
  const fallback = defaultOf(schema);
  if (fallback !== undefined) return `\`${typeof fallback === 'string' ? fallback : JSON.stringify(fallback)}\``;
  return schema.def.type === 'optional' ? '(unset)' : '**required**';
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The README's configuration table, generated from the schema that parses the environment, so the two never disagree. */
export function configTable(shape: Record<string, z.ZodType> = configSchema.shape): string {
  const rows = Object.entries(shape).map(([name, schema]) => {
    const described = schema as unknown as Described;
    return `| \`${name}\` | ${cell(requirement(described))} | ${cell(described.description ?? '')} |`;
  });
  return ['| Variable | Default | What it does |', '| --- | --- | --- |', ...rows].join('\n');
}

export function registerConfigTableCommand(program: Command): void {
  program
    .command('config-table')
    .summary('Print the configuration table for the README')
    .description('Print the Markdown table of every configuration variable, its default and what it does (for the README).')
    .action(() => {
      say(configTable());
    });
}
