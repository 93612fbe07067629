import type { Command, CommandEntry } from './command.js';
import { commands as allCommands } from './commands/index.js';
import { ExitCode, InputError, UsageError } from './errors.js';
import type { Io } from './io.js';
import { version } from './version.js';

function overview(commands: readonly Command[]): string {
  const width = Math.max(8, ...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'gtorr: a BitTorrent client',
    '',
    'Usage: gtorr <command> [options]',
    '',
    'Commands:',
    ...(lines.length > 0 ? lines : ['  (none yet)']),
    '',
    'Options:',
    '  -h, --help     show help (also: gtorr <command> --help)',
    '  -v, --version  print the version',
    '  --debug        print stack traces of errors',
    '',
    'Exit codes: 0 done, 1 failed at run time, 2 bad usage or bad input.',
    '',
  ].join('\n');
}

/**
 * Runs one `gtorr` invocation and resolves to its exit code. Errors become one clear
 * line on stderr (a stack trace only with --debug).
 */
export async function main(argv: readonly string[], io: Io, commands: readonly CommandEntry[] = allCommands): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [first, ...rest] = args;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    const entry = topic === undefined ? undefined : commands.find((c) => c.name === topic);
    io.stdout.write(entry ? (await entry.load()).help : overview(await Promise.all(commands.map((c) => c.load()))));
    return first === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${version()}\n`);
    return ExitCode.OK;
  }
  const entry = commands.find((c) => c.name === first);
  try {
    if (!entry) throw new UsageError(`unknown command '${first}' (see gtorr --help)`);
    const command = await entry.load();
    if (rest.includes('-h') || rest.includes('--help')) {
      io.stdout.write(command.help);
      return ExitCode.OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    return report(error, io, debug);
  }
}

/** Turns an error into the one line the user sees and the exit code. */
export function report(error: unknown, io: Io, debug: boolean): number {
  const usage = error instanceof UsageError || error instanceof InputError || isBadInput(error);
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`gtorr: ${message}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return usage ? ExitCode.USAGE : ExitCode.FAILURE;
}

// Errors of our libraries that mean "this input is bad" carry a code; Node's parseArgs
// errors carry ERR_PARSE_ARGS_*.
function isBadInput(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = String((error).code);
  return code.startsWith('ERR_PARSE_ARGS') || code.startsWith('BENCODE_') || code.startsWith('METAINFO_');
}
