import type { Role } from '../env/plan.js';
import type { Exec } from '../exec/types.js';
import { parseErrors, parseItems, type ItemResult } from '../hostconfig/items.js';
import { renderHostScript } from '../hostconfig/render.js';
import type { ConfigSource, HostConfigOptions, ScriptSection } from '../hostconfig/types.js';

/** Where the script is uploaded on each host (kept there for re-runs and debugging; root-only). */
export const REMOTE_SCRIPT = '/var/lib/lm-env/configure.sh';

export interface ApplyHost {
  name: string;
  role: Role;
  privateIp: string;
}

export interface HostApplyResult {
  host: string;
  role: Role;
  ok: boolean;
  /** Why it failed: the script's LMENV-ERROR lines, or the transport error. */
  error?: string;
  exitCode?: number;
  durationMs: number;
  items: ItemResult[];
  changed: string[];
  unchanged: string[];
}

export interface ApplyResult {
  ok: boolean;
  /** Any item on any host changed. */
  changed: boolean;
  failed: string[];
  hosts: HostApplyResult[];
}

export interface ApplyOptions<H extends ApplyHost> {
  /** The script for a host (e.g. renderHostScript(env, host, opts).script). */
  scriptFor: (host: H) => string;
  /** An Exec for the host; applyAll closes it when done unless keepOpen. */
  execFor: (host: H) => Promise<Exec>;
  /** Receives every output line, prefixed `[host] `. */
  log?: (line: string) => void;
  /** Per-host timeout for the script run (default 15 minutes: package installs can be slow). */
  timeoutMs?: number;
  keepOpen?: boolean;
  signal?: AbortSignal;
}

/** Splits a stream into lines and hands each complete one (prefixed) to the logger. */
function lineSink(
  prefix: string,
  log?: (line: string) => void,
): { push: (chunk: string) => void; end: () => void } {
  let buf = '';
  return {
    push(chunk) {
      if (!log) return;
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        log(`${prefix}${buf.slice(0, i)}`);
        buf = buf.slice(i + 1);
      }
    },
    end() {
      if (log && buf !== '') log(`${prefix}${buf}`);
      buf = '';
    },
  };
}

/** Uploads the script once and runs it once on one host (one session); never throws. */
export async function applyHost<H extends ApplyHost>(host: H, o: ApplyOptions<H>): Promise<HostApplyResult> {
  const started = Date.now();
  const prefix = `[${host.name}] `;
  const base = { host: host.name, role: host.role };
  const out = lineSink(prefix, o.log);
  const err = lineSink(prefix, o.log);
  let exec: Exec | undefined;
  try {
    const script = o.scriptFor(host);
    exec = await o.execFor(host);
    await exec.upload(script, REMOTE_SCRIPT, 0o700);
    const r = await exec.run(`bash ${REMOTE_SCRIPT}`, {
      timeoutMs: o.timeoutMs ?? 15 * 60_000,
      signal: o.signal,
      onStdout: out.push,
      onStderr: err.push,
    });
    out.end();
    err.end();
    const items = parseItems(r.stdout);
    const summary = {
      items,
      changed: items.filter((i) => i.status === 'changed').map((i) => i.item),
      unchanged: items.filter((i) => i.status === 'unchanged').map((i) => i.item),
      durationMs: Date.now() - started,
      exitCode: r.code,
    };
    if (r.code !== 0) {
      const why = parseErrors(r.stderr + r.stdout);
      const tail = (r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n');
      return {
        ...base,
        ...summary,
        ok: false,
        error: why.length > 0 ? why.join('; ') : `exit ${r.code}: ${tail}`,
      };
    }
    return { ...base, ...summary, ok: true };
  } catch (e) {
    out.end();
    err.end();
    return {
      ...base,
      ok: false,
      error: `${exec?.target ?? host.name}: ${(e as Error).message}`,
      durationMs: Date.now() - started,
      items: [],
      changed: [],
      unchanged: [],
    };
  } finally {
    if (exec && !o.keepOpen) await exec.close().catch(() => undefined);
  }
}

/** Applies every host's script in parallel; one host failing does not hide the others' results. */
export async function applyAll<H extends ApplyHost>(
  hosts: readonly H[],
  o: ApplyOptions<H>,
): Promise<ApplyResult> {
  const results = await Promise.all(hosts.map((h) => applyHost(h, o)));
  const failed = results.filter((r) => !r.ok).map((r) => r.host);
  return {
    ok: failed.length === 0,
    changed: results.some((r) => r.changed.length > 0),
    failed,
    hosts: results,
  };
}

/** One line per host for logs and job summaries. */
export function formatApplyResult(r: ApplyResult): string {
  return r.hosts
    .map((h) => {
      const secs = (h.durationMs / 1000).toFixed(1);
      const what = h.changed.length > 0 ? `changed: ${h.changed.join(', ')}` : 'no changes';
      return `${h.host}: ${h.ok ? 'ok' : `FAILED (${h.error})`}, ${what} (${secs}s)`;
    })
    .join('\n');
}

/**
 * Renders each host's script from the Plan/Environment and applies them all: the one call the
 * configure step makes. `sectionsFor` adds other renderers' sections (e.g. the flintlock install)
 * to a host's script so it still runs as one script in one session.
 */
export async function configureHosts<H extends ApplyHost>(
  src: ConfigSource,
  hosts: readonly H[],
  o: Omit<ApplyOptions<H>, 'scriptFor'> & {
    options?: HostConfigOptions;
    sectionsFor?: (host: H) => ScriptSection[];
  },
): Promise<ApplyResult> {
  return applyAll(hosts, {
    ...o,
    scriptFor: (h) =>
      renderHostScript(src, h, {
        ...o.options,
        sections: [...(o.options?.sections ?? []), ...(o.sectionsFor?.(h) ?? [])],
      }).script,
  });
}
