import { parseArgs } from 'node:util';
import { ValidationError } from '../env/errors.js';
import { SPEC_INPUTS } from '../env/inputs.js';
import type { RawInputs } from '../env/spec.js';

export interface CommandOption {
  name: string;
  boolean?: boolean;
  description: string;
}

export interface ParsedCommandLine {
  spec: RawInputs;
  options: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses flags for one command: the spec flags (same names as the action inputs) when the command
 * takes a spec, plus the command's own options. Unknown flags are validation errors (exit 2).
 */
export function parseCommandLine(
  argv: string[],
  own: CommandOption[],
  takesSpec: boolean,
): ParsedCommandLine {
  const specDefs = takesSpec ? SPEC_INPUTS : [];
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const d of specDefs) options[d.name] = { type: 'string' };
  for (const o of own) options[o.name] = { type: o.boolean ? 'boolean' : 'string' };
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as {
      values: Record<string, string | boolean | undefined>;
      positionals: string[];
    });
  } catch (e) {
    const msg = (e as Error).message;
    const flag = /'(--?[^' ]+)/.exec(msg)?.[1] ?? argv.join(' ');
    throw new ValidationError([
      {
        field: flag.replace(/^-+/, ''),
        value: flag,
        problem: msg.replace(/\. To specify.*$/s, ''),
        fix: 'see --help for the flags this command takes',
      },
    ]);
  }
  const spec: RawInputs = {};
  for (const d of specDefs) {
    const v = values[d.name];
    if (v !== undefined) spec[d.name] = String(v);
  }
  const rest: Record<string, string | boolean | undefined> = {};
  for (const o of own) rest[o.name] = values[o.name];
  return { spec, options: rest, positionals };
}

export function helpFor(command: string, summary: string, own: CommandOption[], takesSpec: boolean): string {
  const rows: [string, string][] = [];
  if (takesSpec) {
    for (const d of SPEC_INPUTS) {
      const dflt = d.default !== '' ? ` (default ${d.default})` : d.derived ? ` (default: ${d.derived})` : '';
      rows.push([`--${d.name}${d.boolean ? '' : ' VALUE'}`, `${d.description}${dflt}`]);
    }
  }
  for (const o of own) rows.push([`--${o.name}${o.boolean ? '' : ' VALUE'}`, o.description]);
  const w = Math.max(...rows.map((r) => r[0].length), 10);
  return `Usage: lm-env ${command} [flags]\n\n${summary}\n\nFlags:\n${rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join('\n')}\n`;
}
