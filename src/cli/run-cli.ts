import { parseArgs, type ParseArgsConfig } from 'node:util';
import { OperatorError } from '../shared/operator-error.js';

/**
 * Runs a command-line entry point: its answer is the exit code; a problem the operator must fix
 * (OperatorError) is printed as one line after the command's name, and the exit code is 1. Anything else
 * is a bug, and keeps its stack trace.
 */
export async function runCli(name: string, main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (!(error instanceof OperatorError)) throw error;
    console.error(`${name}: ${error.message}`);
    // Whatever the failed start left open (a half-built app, a store) must not keep the process alive.
    process.exit(1);
  }
}

/**
 * The command's options (`--help` prints `usage` and exits 0). A `--` among them is skipped: npm passes
 * on every `--` after its own first one, so `npm run rebuild -- --dry-run -- --plan FILE` means what it says.
 * Unknown options and missing values are refused in one line that says where the options are listed.
 */
export function cliArguments<const O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  usage: string,
  options: O,
  args: readonly string[] = process.argv.slice(2),
) {
  const given = args.filter((arg) => arg !== '--');
  if (given.includes('--help') || given.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs({ args: given, options, allowPositionals: true, strict: true });
  } catch (error) {
    const what = (error as Error).message.split(/\. |\n/)[0];
    throw new OperatorError(`${what} (\`${command} -- --help\` lists what it takes)`);
  }
}
