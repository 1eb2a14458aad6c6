import type { Command } from 'commander';
import { registerDemoCodeCommand } from './demo-code.js';
import { registerJobsCommand } from './jobs.js';

/** One registration function per command file; a module adds its own commands here. */
export const CLI_COMMANDS: ReadonlyArray<(program: Command) => void> = [registerDemoCodeCommand, registerJobsCommand];
