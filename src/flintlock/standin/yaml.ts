/**
 * The subset of YAML flintlockd config files use: one `key: value` per line, `#` comments, an
 * optional `---` document start, scalars plain or quoted. Anything else (nesting, lists, multi-line
 * strings) is rejected with its line number rather than misread. Pure.
 */
export type ConfigScalar = string | number | boolean;

export class ConfigSyntaxError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`config line ${line}: ${problem}`);
    this.name = 'ConfigSyntaxError';
  }
}

export function parseSimpleYaml(text: string): Record<string, ConfigScalar> {
  const out: Record<string, ConfigScalar> = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = stripComment(raw, n).trimEnd();
    if (line.trim() === '' || (line === '---' && Object.keys(out).length === 0)) return;
    if (/^\s/.test(line)) throw new ConfigSyntaxError(n, 'nested or indented values are not supported');
    const m = /^([A-Za-z0-9_.-]+)\s*:(?:\s+(.*))?$/.exec(line);
    if (!m) throw new ConfigSyntaxError(n, `expected "key: value", got ${JSON.stringify(raw.trim())}`);
    const [, key, value = ''] = m;
    if (key in out) throw new ConfigSyntaxError(n, `duplicate key "${key}"`);
    out[key] = scalar(value.trim(), n);
  });
  return out;
}

/** Drops a `#` comment that is outside quotes (YAML needs whitespace before it, or line start). */
function stripComment(line: string, n: number): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  if (quote) throw new ConfigSyntaxError(n, 'unterminated quoted string');
  return line;
}

function scalar(v: string, n: number): ConfigScalar {
  if (v.startsWith('"')) {
    if (!v.endsWith('"') || v.length < 2) throw new ConfigSyntaxError(n, 'unterminated quoted string');
    try {
      return JSON.parse(v) as string;
    } catch {
      throw new ConfigSyntaxError(n, `invalid double-quoted string ${v}`);
    }
  }
  if (v.startsWith("'")) {
    if (!v.endsWith("'") || v.length < 2) throw new ConfigSyntaxError(n, 'unterminated quoted string');
    return v.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[[{|>&*!]/.test(v)) throw new ConfigSyntaxError(n, `unsupported YAML value ${JSON.stringify(v)}`);
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  if (/^-?\d+$/.test(v)) return Number(v);
  return v;
}
