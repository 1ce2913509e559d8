import { hostname as osHostname, tmpdir } from 'node:os';
import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Environment, EnvironmentFile, TailnetMember } from '../env/environment.js';
import type { EnvSpec } from '../env/spec.js';
import type { UpStep } from '../core/up.js';
import { localExec } from '../exec/local.js';
import type { Exec } from '../exec/types.js';
import { hostExec, labNamespaceExec } from '../providers/access.js';
import { startTimeOf } from '../providers/lab/procs.js';
import type { TailnetControl } from './control.js';
import { HeadscaleApi } from './headscale.js';
import { officialTarballUrl } from './install.js';
import { joinHub, joinRunner, waitRunnerReady, type JoinDeps, type RunnerPlace } from './join.js';
import { LAB_BIN_DIR, publishLabTarball, startLabHeadscale } from './lab-control.js';
import { Redactor } from './redact.js';
import { sudoExec } from './sudo.js';
import {
  parseTailnetSettings,
  TAILNET_INPUTS,
  tailnetSecrets,
  type RawTailnetInputs,
  type TailnetSettings,
} from './settings.js';
import { TailscaleApi } from './tailscale-api.js';

/**
 * The `tailnet` step of `lm-env up` and the core of the join-tailscale action: picks the control
 * server (the lab's own headscale, a headscale with an API key, or Tailscale), joins the hub as a
 * subnet router and the runner as an ephemeral node, and waits until every flintlock endpoint
 * answers through the tailnet. Secrets come from inputs (action) or LM_ENV_* variables (CLI), never
 * from flags, and are redacted from everything this prints.
 */

/** The CLI reads tailnet inputs from the environment: input `oauth-secret` ↔ LM_ENV_OAUTH_SECRET. */
export function envVarOf(input: string): string {
  return `LM_ENV_${input.toUpperCase().replace(/-/g, '_')}`;
}

export function tailnetRawInputsFromEnv(env: NodeJS.ProcessEnv = process.env): RawTailnetInputs {
  const raw: RawTailnetInputs = {};
  for (const i of TAILNET_INPUTS) {
    const v = env[envVarOf(i.name)];
    if (v !== undefined && v !== '') raw[i.name] = v;
  }
  return raw;
}

/** Validated settings for an environment; the lab may run its own control server. */
export function tailnetSettingsFor(provider: string, raw: RawTailnetInputs): TailnetSettings {
  return parseTailnetSettings(raw, { labControl: provider === 'lab' });
}

/** A DNS label for the runner: the given hostname, else github-<machine name> (≤ 63 characters). */
export function defaultRunnerHostname(machine = osHostname()): string {
  const label = `github-${machine.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`
    .slice(0, 63)
    .replace(/-+$/, '');
  return label;
}

export interface JoinOptions {
  settings: TailnetSettings;
  /** Secrets known up front (inputs); minted keys are added as they appear. */
  redactor: Redactor;
  progress: (message: string) => void;
  log: (line: string) => void;
  /** Where the runner is: the lab's runner namespace, or this machine (a CI runner). */
  runner: 'lab' | 'local';
  /** Budget for route + endpoints after the runner joined. */
  readyTimeoutMs?: number;
  /** Checked between phases: an interrupted join stops with everything created so far recorded. */
  signal?: AbortSignal;
}

export interface JoinResult {
  joinMs: number;
  runnerIp?: string;
  runnerNodeId?: string;
  hubNodeId?: string;
  routeStatus: string;
}

function controlFromSettings(s: TailnetSettings): TailnetControl | undefined {
  switch (s.auth.kind) {
    case 'oauth':
      return new TailscaleApi({ oauthClientId: s.auth.clientId, oauthSecret: s.auth.secret });
    case 'headscale-api':
      return new HeadscaleApi({ url: s.loginServer!, apiKey: s.auth.apiKey });
    default:
      return undefined;
  }
}

/** Runs the whole join. Every created thing is in the Environment file before the next action. */
export async function joinTailnet(envFile: EnvironmentFile, o: JoinOptions): Promise<JoinResult> {
  const started = Date.now();
  const env = envFile.data;
  const s = o.settings;
  const hubHost = env.hosts.find((h) => h.role === 'hub')?.name;
  if (!hubHost) throw new Error(`environment ${env.id} has no hub`);
  const lab = s.auth.kind === 'lab';
  envFile.update(
    (e) =>
      (e.tailscale = {
        ...e.tailscale,
        control: lab || s.loginServer ? 'headscale' : 'tailscale',
        labControl: lab,
        tags: s.auth.tags,
        advertisedRoutes: [env.network.subnet],
        routeStatus: e.tailscale?.routeStatus ?? 'none',
      }),
  );
  let control = controlFromSettings(s);
  let loginServer = s.loginServer;
  let caPem: string | undefined;
  if (lab) {
    o.signal?.throwIfAborted();
    const lc = await startLabHeadscale(envFile, {
      subnet: env.network.subnet,
      tags: s.auth.tags,
      redactor: o.redactor,
      log: o.log,
      progress: o.progress,
    });
    control = lc.control;
    loginServer = lc.loginServer;
    caPem = lc.caPem;
    envFile.update((e) => (e.tailscale!.loginServer = lc.loginServer));
  } else if (loginServer) envFile.update((e) => (e.tailscale!.loginServer = loginServer));
  const tarball =
    env.provider === 'lab'
      ? publishLabTarball(envFile, s.version)
      : { urlTemplate: officialTarballUrl(s.version, '{arch}'), sha256: s.sha256 };

  const deps: JoinDeps = {
    envFile,
    settings: s,
    control,
    loginServer,
    redactor: o.redactor,
    log: (l) => o.log(o.redactor.redact(l)),
    progress: (m) => o.progress(o.redactor.redact(m)),
    caPem,
    tarball,
    recordProcess: async (who, pid) => {
      // Only pids of this machine's pid namespace are recorded: the lab's hosts and runner, a CI runner.
      if (who === 'hub' && env.provider !== 'lab') return;
      const startTime = startTimeOf(pid);
      if (startTime === undefined) return;
      envFile.addResource({
        kind: 'process',
        id: String(pid),
        name: `tailscaled (${who})`,
        host: who === 'hub' ? hubHost : undefined,
        meta: {
          startTime,
          netns: who === 'hub' ? (env.hosts[0].lab?.netns ?? '') : (env.lab?.runner?.netns ?? ''),
        },
      });
    },
  };

  o.signal?.throwIfAborted();
  const hub = await hostExec(envFile, hubHost, { signal: o.signal });
  try {
    await joinHub(deps, hub, hubHost);
  } finally {
    await hub.close();
  }
  o.signal?.throwIfAborted();
  const place = runnerPlace(envFile, o.runner, s);
  await joinRunner(deps, place);
  o.signal?.throwIfAborted();
  await waitRunnerReady(deps, place.exec, o.readyTimeoutMs ?? 90_000);
  const joinMs = Date.now() - started;
  envFile.update((e) => (e.tailscale!.joinMs = joinMs));
  const t = envFile.data.tailscale!;
  deps.progress(
    `every flintlock endpoint (${env.flintlock.endpoints.join(', ')}) reachable from the runner through the tailnet: ${(joinMs / 1000).toFixed(1)}s after the join started`,
  );
  return {
    joinMs,
    runnerIp: t.runner?.ip,
    runnerNodeId: t.runner?.nodeId,
    hubNodeId: t.hub?.nodeId,
    routeStatus: t.routeStatus,
  };
}

/** Where the runner's tailscaled lives and how it is reached. */
export function runnerPlace(
  envFile: EnvironmentFile,
  runner: 'lab' | 'local',
  s: TailnetSettings,
): RunnerPlace {
  const env = envFile.data;
  if (runner === 'lab') {
    return {
      exec: labNamespaceExec(env, 'runner'),
      where: 'lab-runner',
      dir: join(env.lab!.dir!, 'tailnet', 'runner'),
      hostname: s.hostname ?? `${env.id}-runner`,
      bin: { tailscale: join(LAB_BIN_DIR, 'tailscale'), tailscaled: join(LAB_BIN_DIR, 'tailscaled') },
    };
  }
  return {
    exec: runnerExec('local', env),
    where: 'local',
    dir: join(process.env.RUNNER_TEMP || tmpdir(), `lm-env-tailscale-${env.id}`),
    hostname: s.hostname ?? defaultRunnerHostname(),
  };
}

/** An Exec where the runner's tailscaled runs: the lab's runner namespace, or this machine (sudo on a CI runner). */
export function runnerExec(where: TailnetMember['where'], env: Readonly<Environment>): Exec {
  return where === 'local' ? sudoExec(localExec()) : labNamespaceExec(env, 'runner');
}

/** Secrets in the raw inputs, for masking before anything is printed. */
export function redactorFor(raw: RawTailnetInputs): Redactor {
  return new Redactor(tailnetSecrets(raw));
}

/** Checks the tailnet inputs of an `up` before anything is created (throws ValidationError). */
export function preflightTailnet(spec: EnvSpec, env: NodeJS.ProcessEnv = process.env): void {
  if (spec.tailscale === 'off') return;
  tailnetSettingsFor(spec.provider, tailnetRawInputsFromEnv(env));
}

/** Command log of the tailnet step: a file beside the Environment file (recorded; removed by down). */
export function tailnetLogPath(envFile: EnvironmentFile): string {
  return `${envFile.path}.tailnet.log`;
}

export function fileLogger(envFile: EnvironmentFile): (line: string) => void {
  const path = tailnetLogPath(envFile);
  if (!envFile.data.resources.some((r) => r.kind === 'file' && r.id === resolve(path)))
    envFile.addResource({ kind: 'file', id: resolve(path), name: 'tailnet command log' });
  return (line) => appendFileSync(path, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
}

/** `lm-env up` step: after configure, before verify. `--tailscale off` skips it. */
export const tailnetStep: UpStep = {
  name: 'tailnet',
  preflight: (spec) => preflightTailnet(spec),
  async run(ctx) {
    if (ctx.spec.tailscale === 'off') {
      ctx.progress('tailnet', 'skipped (--tailscale off)');
      return;
    }
    // The hub routes into the VLAN the configure step set up; without it there is nothing to reach.
    if (!ctx.envFile.data.steps?.configure?.ok) {
      ctx.progress('tailnet', 'skipped: the hosts were not configured (no successful configure step)');
      return;
    }
    const raw = tailnetRawInputsFromEnv();
    const redactor = redactorFor(raw);
    const settings = tailnetSettingsFor(ctx.spec.provider, raw);
    const log = fileLogger(ctx.envFile);
    ctx.progress('tailnet', `join started; command log ${tailnetLogPath(ctx.envFile)}`);
    await joinTailnet(ctx.envFile, {
      settings,
      redactor,
      progress: (m) => ctx.progress('tailnet', m),
      log: (l) => log(redactor.redact(l)),
      runner: ctx.spec.provider === 'lab' ? 'lab' : 'local',
      signal: ctx.signal,
    });
  },
};
