import { ValidationError } from '../../env/errors.js';
import type { CommandOption } from '../args.js';

export const DEFAULT_ENV_FILE = './lm-env.json';

/** `--env-file FILE` and its short alias `--env FILE`, shared by up, down and status. */
export const ENV_FILE_OPTIONS: CommandOption[] = [
  { name: 'env-file', description: `Environment file to write/read (default ${DEFAULT_ENV_FILE})` },
  { name: 'env', description: 'Same as --env-file' },
];

export function envFilePath(options: Record<string, string | boolean | undefined>): string {
  const a = typeof options['env-file'] === 'string' ? options['env-file'] : undefined;
  const b = typeof options.env === 'string' ? options.env : undefined;
  if (a !== undefined && b !== undefined && a !== b) {
    throw new ValidationError([
      {
        field: 'env-file',
        value: `${a} / ${b}`,
        problem: '--env-file and --env name different files',
        fix: 'give only one of them',
      },
    ]);
  }
  const p = a ?? b ?? DEFAULT_ENV_FILE;
  if (p.trim() === '') {
    throw new ValidationError([
      {
        field: 'env-file',
        value: p,
        problem: 'the path is empty',
        fix: 'give a file path, e.g. ./lm-env.json',
      },
    ]);
  }
  return p;
}

/** Progress lines with the time since the command started: "[  1.2s] hub: namespace … created". */
export function progressPrinter(
  write: (t: string) => void,
  started = Date.now(),
): (scope: string, msg: string) => void {
  return (scope, msg) => {
    const s = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    write(`[${s}s] ${scope}: ${msg}\n`);
  };
}
