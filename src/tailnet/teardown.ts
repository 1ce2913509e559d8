import { existsSync, rmSync } from 'node:fs';
import type { DownStep } from '../core/down.js';
import type { EnvironmentFile, TailnetMember } from '../env/environment.js';
import type { Exec } from '../exec/types.js';
import { hostExec } from '../providers/access.js';
import { isAlive, stopProcess } from '../providers/lab/procs.js';
import type { TailnetControl } from './control.js';
import { memberNode, HUB_UNIT } from './join.js';
import { q } from './node.js';
import { Redactor } from './redact.js';
import {
  fileLogger,
  redactorFor,
  runnerExec,
  tailnetLogPath,
  tailnetRawInputsFromEnv,
  tailnetSettingsFor,
} from './join-step.js';
import { startLabHeadscale } from './lab-control.js';
import type { RawTailnetInputs } from './settings.js';
import { HeadscaleApi } from './headscale.js';
import { TailscaleApi } from './tailscale-api.js';

/**
 * Leaving the tailnet: `tailscale logout` on the runner and the hub (ephemeral nodes vanish on logout),
 * daemons stopped and what lm-env created on each machine removed, then every recorded node deleted
 * and every recorded key revoked through the control server as a backstop. Each failure is reported;
 * none stops the rest. What was undone is removed from the Environment file at once.
 */

export interface TailnetTeardownReport {
  done: string[];
  failed: string[];
}

type Progress = (message: string) => void;

/** Collects outcomes and prints each as it happens. */
class Outcomes implements TailnetTeardownReport {
  done: string[] = [];
  failed: string[] = [];
  constructor(private readonly progress: Progress) {}
  ok(what: string): void {
    this.done.push(what);
    this.progress(what);
  }
  fail(what: string): void {
    this.failed.push(what);
    this.progress(`FAILED ${what}`);
  }
}

async function attempt(report: Outcomes, what: string, f: () => Promise<void>): Promise<void> {
  try {
    await f();
    report.ok(what);
  } catch (e) {
    report.fail(`${what}: ${(e as Error).message}`);
  }
}

/** The control server recorded for the environment, or undefined (with the reason) when it cannot be reached. */
async function controlFor(
  envFile: EnvironmentFile,
  raw: RawTailnetInputs,
  redactor: Redactor,
  log: (l: string) => void,
): Promise<{ control?: TailnetControl; why?: string }> {
  const t = envFile.data.tailscale!;
  if (t.labControl) {
    const hs = envFile.data.resources.find((r) => r.kind === 'process' && r.name === 'headscale');
    if (!hs || !isAlive({ pid: Number(hs.id), startTime: Number(hs.meta?.startTime) }))
      return { why: 'the lab headscale is not running (its nodes and keys went with it)' };
    const lc = await startLabHeadscale(envFile, {
      subnet: envFile.data.network.subnet,
      tags: t.tags,
      redactor,
      log,
      progress: () => undefined,
    });
    return { control: lc.control };
  }
  try {
    const s = tailnetSettingsFor(envFile.data.provider, raw);
    if (s.auth.kind === 'oauth')
      return { control: new TailscaleApi({ oauthClientId: s.auth.clientId, oauthSecret: s.auth.secret }) };
    if (s.auth.kind === 'headscale-api')
      return { control: new HeadscaleApi({ url: s.loginServer!, apiKey: s.auth.apiKey }) };
    return { why: 'only an authkey was given: nodes can only log out, not be deleted through an API' };
  } catch (e) {
    return { why: `no usable control-server credentials (${(e as Error).message.split('\n')[0]})` };
  }
}

/** Logs a member out, stops its daemon, removes what lm-env created there. */
async function leave(
  envFile: EnvironmentFile,
  who: 'hub' | 'runner',
  m: TailnetMember,
  exec: Exec,
  report: Outcomes,
  redactor: Redactor,
  log: (l: string) => void,
): Promise<boolean> {
  const node = memberNode(m, exec, { log, redactor });
  let loggedOut = false;
  if (await node.daemonAlive()) {
    await attempt(report, `${who}: tailscale logout`, async () => {
      if (!(await node.logout()))
        throw new Error('tailscale logout failed (the API delete below is the backstop)');
      loggedOut = true;
    });
  }
  await attempt(report, `${who}: tailscaled stopped`, async () => {
    if (m.systemdUnit)
      await exec.run(`systemctl disable --now ${q(m.systemdUnit)}.service >/dev/null 2>&1; true`, {
        timeoutMs: 30_000,
      });
    await node.stopDaemon();
    if (await node.daemonAlive()) throw new Error('tailscaled is still running');
    for (const r of envFile.data.resources.filter(
      (x) => x.kind === 'process' && x.name === `tailscaled (${who})`,
    )) {
      const p = { pid: Number(r.id), startTime: Number(r.meta?.startTime) };
      // Same pid namespace (lab, runner): make sure, then drop the record.
      if (isAlive(p)) await stopProcess(p);
      if (isAlive(p)) throw new Error(`tailscaled pid ${p.pid} is still running`);
      envFile.removeResource('process', r.id);
    }
  });
  const paths = m.createdPaths ?? [];
  if (paths.length > 0) {
    await attempt(report, `${who}: removed ${paths.join(', ')}`, async () => {
      if (m.systemdUnit && paths.includes(`/etc/systemd/system/${HUB_UNIT}.service`))
        await exec.run('systemctl daemon-reload 2>/dev/null; true', { timeoutMs: 30_000 });
      const r = await exec.run(`rm -rf ${paths.map(q).join(' ')}`, { timeoutMs: 30_000 });
      if (r.code !== 0) throw new Error(r.stderr.trim());
      for (const p of paths) envFile.removeResource('file', p);
    });
  }
  return loggedOut;
}

/**
 * `raw`: the tailnet inputs (credentials for the API backstop); the CLI reads them from LM_ENV_*
 * variables, the actions from their inputs.
 */
export async function teardownTailnet(
  envFile: EnvironmentFile,
  progress: Progress,
  raw: RawTailnetInputs = tailnetRawInputsFromEnv(),
): Promise<TailnetTeardownReport> {
  const report = new Outcomes(progress);
  const t = envFile.data.tailscale;
  if (!t) return report;
  const redactor = redactorFor(raw);
  const log = fileLogger(envFile);
  const env = envFile.data;

  const loggedOut = new Set<string>();
  const runnerNs = env.lab?.runner?.netns;
  if (
    t.runner?.dir &&
    t.runner.where === 'lab-runner' &&
    !(runnerNs && existsSync(`/run/netns/${runnerNs}`))
  ) {
    // The runner namespace is gone, and with it its tailscaled (a second `down`).
    progress('runner: its namespace is gone already');
  } else if (t.runner?.dir) {
    const exec = runnerExec(t.runner.where, env);
    if (await leave(envFile, 'runner', t.runner, exec, report, redactor, log)) loggedOut.add('runner');
  }
  if (t.hub?.dir) {
    const hubName = env.hosts.find((h) => h.role === 'hub')?.name ?? 'hub';
    let exec: Exec | undefined;
    try {
      exec = await hostExec(envFile, hubName, { retryForMs: 5000 });
    } catch (e) {
      // Not fatal: its tailscaled and files go with the host, which the provider deletes next; the
      // node itself is deleted through the control server below.
      progress(
        `warning: hub not reachable over SSH (${(e as Error).message.split('\n')[0]}); skipping its logout`,
      );
    }
    if (exec) {
      try {
        if (await leave(envFile, 'hub', t.hub, exec, report, redactor, log)) loggedOut.add('hub');
      } finally {
        await exec.close();
      }
    }
  }

  const nodes = env.resources.filter((r) => r.kind === 'tailnet-node');
  const keys = env.resources.filter((r) => r.kind === 'auth-key');
  const { control, why } = await controlFor(envFile, raw, redactor, log).catch((e: Error) => ({
    control: undefined,
    why: e.message,
  }));
  if (control) {
    // Recorded ids first, then by hostname: a join interrupted before the id was recorded.
    for (const n of nodes) {
      await attempt(report, `node ${n.id} (${n.name}) deleted`, async () => {
        await control.deleteNode(n.id);
        envFile.removeResource('tailnet-node', n.id);
      });
    }
    for (const m of [t.hub, t.runner]) {
      if (!m?.hostname) continue;
      await attempt(report, `no node named ${m.hostname} left`, async () => {
        for (const n of await control.findNodes({ hostname: m.hostname })) await control.deleteNode(n.id);
      });
    }
    for (const k of keys) {
      await attempt(report, `key ${k.id} revoked`, async () => {
        await control.revokeAuthKey(k.id);
        envFile.removeResource('auth-key', k.id);
      });
    }
  } else {
    // Ephemeral nodes that logged out are gone (and the lab's went with its headscale); any other
    // recorded node cannot be deleted without an API.
    for (const n of nodes) {
      if (t.labControl || (n.host && loggedOut.has(n.host))) {
        envFile.removeResource('tailnet-node', n.id);
        report.ok(`node ${n.id} (${n.name}) gone (${t.labControl ? why : 'ephemeral, logged out'})`);
      } else report.fail(`node ${n.id} (${n.name}) not deleted: ${why}`);
    }
    for (const k of keys) {
      if (t.labControl) envFile.removeResource('auth-key', k.id);
      else report.fail(`key ${k.id} not revoked: ${why}`);
    }
  }

  // The command log goes last (this teardown wrote to it too).
  const logPath = tailnetLogPath(envFile);
  if (report.failed.length === 0) {
    rmSync(logPath, { force: true });
    for (const r of envFile.data.resources.filter(
      (x) => x.kind === 'file' && x.name === 'tailnet command log',
    ))
      if (!existsSync(r.id)) envFile.removeResource('file', r.id);
    envFile.update((e) => delete e.tailscale);
  }
  return { done: report.done, failed: report.failed };
}

/** `lm-env down` step: runs before the provider deletes the hosts (the hub must still answer SSH). */
export const tailnetDownStep: DownStep = {
  name: 'tailnet',
  async run(envFile, _provider, progress) {
    const r = await teardownTailnet(envFile, (m) => progress('tailnet', m));
    return r.failed.length === 0;
  },
};
