import { runOperatorCommand } from './cli/program.js';

/** The operator CLI: `npm run cli -- <command> --help`. Each command reads the same configuration as the server. */
const code = await runOperatorCommand(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
// A failed command may leave a connection open; the process ends here either way.
if (code !== 0) process.exit(code);
