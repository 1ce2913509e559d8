import { helpFor, parseCommandLine } from './args.js';
import type { CliIO, Command } from './command.js';
import { commands as allCommands } from './commands/index.js';
import { UserError, ValidationError } from '../env/errors.js';

function usage(commands: Command[]): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: lm-env <command> [flags]',
    '',
    'Builds a liquid-metal test environment (hub + flintlock hosts on a private VLAN) and tears it down.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary.split('. ')[0].replace(/\.$/, '')}`),
    '',
    "Run 'lm-env <command> --help' for a command's flags.",
    '',
  ].join('\n');
}

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failure, 2 bad input. */
export async function runCli(argv: string[], io: CliIO, commands: Command[] = allCommands): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage(commands));
    return name ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.err(`lm-env: unknown command '${name}'\n\n${usage(commands)}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(helpFor(cmd.name, cmd.summary, cmd.options, cmd.takesSpec));
    return 0;
  }
  try {
    const parsed = parseCommandLine(rest, cmd.options, cmd.takesSpec);
    if (parsed.positionals.length > 0) {
      throw new ValidationError([
        {
          field: 'arguments',
          value: parsed.positionals.join(' '),
          problem: `'${cmd.name}' takes no positional arguments`,
          fix: 'pass settings as --flag value',
        },
      ]);
    }
    return await cmd.run(parsed, io);
  } catch (e) {
    if (e instanceof ValidationError) {
      io.err(`lm-env ${cmd.name}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UserError) {
      io.err(`lm-env ${cmd.name}: ${e.message}\n`);
      return e.exitCode;
    }
    io.err(`lm-env ${cmd.name}: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
