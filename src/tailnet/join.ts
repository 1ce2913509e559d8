import type { EnvironmentFile, TailnetMember } from '../env/environment.js';
import { runChecked, type Exec } from '../exec/types.js';
import type { AuthKey, TailnetControl, TailnetNode } from './control.js';
import {
  DETECT_INIT,
  parseInstallResult,
  renderForwardingScript,
  renderTailscaleInstallScript,
  SYSCTL_FILE,
  TAILSCALE_BIN_DIR,
} from './install.js';
import { q, TailscaleNode } from './node.js';
import type { Redactor } from './redact.js';
import type { TailscaleStatus } from './status.js';
import type { TailnetSettings } from './settings.js';

/**
 * Joining an environment to a tailnet, written against the Exec port: the hub becomes a subnet
 * router for the VLAN, the runner an ephemeral node that accepts routes. Each side records what it
 * creates in the Environment file before the next action, so `down` can undo a join that failed
 * half-way.
 */

export const HUB_DIR = '/var/lib/lm-env/tailscale';
export const HUB_UNIT = 'lm-env-tailscaled';

export interface JoinDeps {
  envFile: EnvironmentFile;
  settings: TailnetSettings;
  /** Undefined with a bare authkey: no API, so routes must be auto-approved and nodes are known from status. */
  control?: TailnetControl;
  /** --login-server (undefined = Tailscale). */
  loginServer?: string;
  redactor: Redactor;
  /** Command-level log (redacted already). */
  log: (line: string) => void;
  /** One progress line. */
  progress: (message: string) => void;
  /** The process ids of daemons are local ones (lab, or the runner itself): record them. */
  recordProcess: (who: 'hub' | 'runner', pid: number, exec: Exec) => Promise<void>;
  /** Lab CA (PEM) the daemons must trust for the control server, when it has one. */
  caPem?: string;
  /** Where the tailscale tarball comes from: {arch} in the URL is replaced on the host. */
  tarball: { urlTemplate: string; sha256: string };
  sleep?: (ms: number) => Promise<void>;
}

function tailnet(deps: JoinDeps) {
  const t = deps.envFile.data.tailscale;
  if (!t) throw new Error('tailnet state missing from the Environment file');
  return t;
}

function setMember(deps: JoinDeps, who: 'hub' | 'runner', m: Partial<TailnetMember>): TailnetMember {
  deps.envFile.update((e) => {
    e.tailscale![who] = { ...(e.tailscale![who] as TailnetMember), ...m };
  });
  return tailnet(deps)[who]!;
}

/** A TailscaleNode for a recorded member. */
export function memberNode(
  m: TailnetMember,
  exec: Exec,
  extra: { log?: (l: string) => void; redactor?: Redactor; sleep?: (ms: number) => Promise<void> } = {},
): TailscaleNode {
  return new TailscaleNode({
    exec,
    dir: m.dir,
    tailscale: m.tailscale,
    tailscaled: m.tailscaled,
    tun: m.tun,
    persistState: m.where === 'host',
    env: m.env,
    ...extra,
  });
}

/** Mints a single-use, ephemeral, preauthorized key for one member (or uses the given authkey). */
async function authKeyFor(deps: JoinDeps, who: 'hub' | 'runner'): Promise<AuthKey | { key: string }> {
  const a = deps.settings.auth;
  if (a.kind === 'authkey') return { key: a.key };
  const env = deps.envFile.data;
  if (!deps.control) throw new Error('no control server API to mint auth keys with');
  const k = await deps.control.createAuthKey({
    description: `lm-env ${env.id} ${who}`,
    tags: a.tags,
    ephemeral: true,
    reusable: false,
    preauthorized: true,
    expirySeconds: 3600,
  });
  deps.redactor.add(k.key);
  deps.envFile.addResource({ kind: 'auth-key', id: k.id, name: `${who} key`, meta: { role: who } });
  return k;
}

/** Revokes a minted key once it is used (single-use keys are spent; revoking leaves nothing valid behind). */
async function spend(deps: JoinDeps, k: AuthKey | { key: string }): Promise<void> {
  if (!('id' in k) || !deps.control) return;
  try {
    await deps.control.revokeAuthKey(k.id);
    deps.envFile.removeResource('auth-key', k.id);
  } catch (e) {
    deps.progress(`warning: could not revoke key ${k.id} after use (down retries): ${(e as Error).message}`);
  }
}

/**
 * The control server's record of a node, by hostname; waits briefly for it to appear. Without an API,
 * the node's own status stands in (its stable id and addresses; routes unknown).
 */
async function nodeByHostname(deps: JoinDeps, hostname: string, st: TailscaleStatus): Promise<TailnetNode> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const control = deps.control;
  if (!control) {
    return {
      id: st.self?.id ?? '',
      hostname,
      addresses: st.tailscaleIps,
      tags: st.self?.tags ?? [],
      advertisedRoutes: [],
      enabledRoutes: [],
    };
  }
  for (let i = 0; ; i++) {
    const found = await control.findNodes({ hostname });
    if (found.length > 0) {
      // Newest registration wins when a stale one with the same name lingers.
      return found.sort((a, b) => Number(b.id) - Number(a.id) || b.id.localeCompare(a.id))[0];
    }
    if (i >= 20) throw new Error(`the control server lists no node named ${hostname} after it joined`);
    await sleep(500);
  }
}

function recordNode(deps: JoinDeps, who: 'hub' | 'runner', n: TailnetNode): void {
  deps.envFile.addResource({ kind: 'tailnet-node', id: n.id, name: n.hostname, host: who });
  setMember(deps, who, { nodeId: n.id, ip: n.addresses.find((a) => a.includes('.')) });
}

/** Installs the pinned client if needed; returns whether lm-env installed it. */
export async function ensureTailscale(
  exec: Exec,
  deps: Pick<JoinDeps, 'settings' | 'tarball' | 'log'>,
  binDir = TAILSCALE_BIN_DIR,
): Promise<boolean> {
  const script = renderTailscaleInstallScript({
    version: deps.settings.version,
    urlTemplate: deps.tarball.urlTemplate,
    sha256: deps.tarball.sha256,
    binDir,
  });
  const r = await runChecked(exec, script, { timeoutMs: 600_000 });
  const res = parseInstallResult(r.stdout);
  deps.log(`[${exec.target}] tailscale ${deps.settings.version}: ${res ?? 'unknown'}`);
  return res === 'installed';
}

/**
 * Hub: pinned client, forwarding, tailscaled (systemd where the host runs it, detached otherwise),
 * `tailscale up --advertise-routes=<subnet>`, then the route approved through the control server.
 */
export async function joinHub(deps: JoinDeps, hub: Exec, hubHost: string): Promise<TailnetMember> {
  const env = deps.envFile.data;
  const subnet = env.network.subnet;
  // Recorded before anything is created on the hub; createdPaths grows as things appear.
  let member = setMember(deps, 'hub', {
    hostname: `${env.id}-${hubHost}`,
    dir: HUB_DIR,
    tun: 'tailscale0',
    tailscale: `${TAILSCALE_BIN_DIR}/tailscale`,
    tailscaled: `${TAILSCALE_BIN_DIR}/tailscaled`,
    service: 'direct',
    where: 'host',
    createdPaths: [],
    env: {},
  });
  const created = (...paths: string[]): TailnetMember =>
    (member = setMember(deps, 'hub', { createdPaths: [...(member.createdPaths ?? []), ...paths] }));
  const fwdExisted = (await hub.run(`[ -e ${SYSCTL_FILE} ]`)).code === 0;
  const installed = await ensureTailscale(hub, deps);
  if (installed) created(`${TAILSCALE_BIN_DIR}/tailscale`, `${TAILSCALE_BIN_DIR}/tailscaled`);
  if (!fwdExisted) created(SYSCTL_FILE);
  await runChecked(hub, renderForwardingScript(), { timeoutMs: 30_000 });
  const init = (await runChecked(hub, DETECT_INIT)).stdout.trim() === 'systemd' ? 'systemd' : 'direct';
  created(HUB_DIR);
  if (init === 'systemd') created(`/etc/systemd/system/${HUB_UNIT}.service`);
  const envVars: Record<string, string> = {};
  if (deps.caPem) {
    await hub.upload(deps.caPem, `${HUB_DIR}/control-ca.pem`, 0o644);
    envVars.SSL_CERT_FILE = `${HUB_DIR}/control-ca.pem`;
  }
  member = setMember(deps, 'hub', {
    service: init,
    systemdUnit: init === 'systemd' ? HUB_UNIT : undefined,
    env: envVars,
  });
  deps.progress(
    `hub: tailscale ${deps.settings.version} ${installed ? 'installed' : 'present'}, forwarding on, tailscaled via ${init}`,
  );
  const node = memberNode(member, hub, { log: deps.log, redactor: deps.redactor, sleep: deps.sleep });
  await node.startDaemon(20_000, init === 'systemd' ? { systemdUnit: HUB_UNIT } : {});
  const pid = await node.daemonPid();
  if (pid) await deps.recordProcess('hub', pid, hub);
  const key = await authKeyFor(deps, 'hub');
  let st: TailscaleStatus;
  try {
    st = await node.up({
      authKey: key.key,
      hostname: member.hostname,
      loginServer: deps.loginServer,
      advertiseRoutes: [subnet],
      acceptDns: false,
      timeoutSeconds: deps.settings.timeoutSeconds,
    });
  } finally {
    await spend(deps, key);
  }
  deps.envFile.update((e) => (e.tailscale!.routeStatus = 'advertised'));
  const n = await nodeByHostname(deps, member.hostname, st);
  recordNode(deps, 'hub', n);
  if (deps.control) {
    if (!n.enabledRoutes.includes(subnet))
      await deps.control.approveRoutes(n.id, [...n.enabledRoutes, subnet]);
    deps.envFile.update((e) => (e.tailscale!.routeStatus = 'approved'));
    deps.progress(
      `hub: node ${n.id} (${member.hostname}, ${tailnet(deps).hub?.ip}) advertises ${subnet}; route approved`,
    );
  } else {
    deps.progress(
      `hub: ${member.hostname} advertises ${subnet}; no API credentials, so the tailnet policy must auto-approve it (autoApprovers)`,
    );
  }
  return tailnet(deps).hub!;
}

export interface RunnerPlace {
  exec: Exec;
  where: 'lab-runner' | 'local';
  dir: string;
  hostname: string;
  /** Binaries to use; undefined = install the pinned client into /usr/local/bin first. */
  bin?: { tailscale: string; tailscaled: string };
}

/** Runner: ephemeral node with --accept-routes (state in memory), key spent, node recorded. */
export async function joinRunner(deps: JoinDeps, place: RunnerPlace): Promise<TailnetMember> {
  let bin = place.bin;
  const created: string[] = [];
  if (!bin) {
    if (await ensureTailscale(place.exec, deps))
      created.push(`${TAILSCALE_BIN_DIR}/tailscale`, `${TAILSCALE_BIN_DIR}/tailscaled`);
    bin = { tailscale: `${TAILSCALE_BIN_DIR}/tailscale`, tailscaled: `${TAILSCALE_BIN_DIR}/tailscaled` };
  }
  created.push(place.dir);
  // This machine's own path (the lab's runner directory is inside the recorded lab directory).
  if (place.where === 'local')
    deps.envFile.addResource({ kind: 'file', id: place.dir, name: 'tailscale runner state' });
  const envVars: Record<string, string> = {};
  if (deps.caPem) {
    await place.exec.upload(deps.caPem, `${place.dir}/control-ca.pem`, 0o644);
    envVars.SSL_CERT_FILE = `${place.dir}/control-ca.pem`;
  }
  const member = setMember(deps, 'runner', {
    hostname: place.hostname,
    dir: place.dir,
    tun: 'tailscale0',
    ...bin,
    service: 'direct',
    where: place.where,
    createdPaths: created,
    env: envVars,
  });
  const node = memberNode(member, place.exec, { log: deps.log, redactor: deps.redactor, sleep: deps.sleep });
  await node.startDaemon(20_000);
  const pid = await node.daemonPid();
  if (pid) await deps.recordProcess('runner', pid, place.exec);
  const key = await authKeyFor(deps, 'runner');
  let st: TailscaleStatus;
  try {
    st = await node.up({
      authKey: key.key,
      hostname: member.hostname,
      loginServer: deps.loginServer,
      acceptRoutes: true,
      acceptDns: deps.settings.acceptDns,
      timeoutSeconds: deps.settings.timeoutSeconds,
    });
  } finally {
    await spend(deps, key);
  }
  const n = await nodeByHostname(deps, member.hostname, st);
  recordNode(deps, 'runner', n);
  deps.progress(`runner: node ${n.id} (${member.hostname}, ${tailnet(deps).runner?.ip}) joined, ephemeral`);
  return tailnet(deps).runner!;
}

/** One TCP connect from the target (bash /dev/tcp, `seconds` at most). */
export async function tcpConnectFrom(exec: Exec, endpoint: string, seconds = 3): Promise<boolean> {
  const i = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, i);
  const port = endpoint.slice(i + 1);
  if (!/^[0-9.]+$/.test(host) || !/^\d+$/.test(port)) throw new Error(`bad endpoint ${endpoint}`);
  const r = await exec.run(`timeout ${seconds} bash -c ${q(`exec 3<>/dev/tcp/${host}/${port}`)}`, {
    timeoutMs: 10_000,
  });
  return r.code === 0;
}

/**
 * Readiness on the runner: the hub peer online serving the subnet, the route in table 52 (with the
 * #266 repair), and a TCP connect to every flintlock endpoint. Throws naming what is still missing.
 */
export async function waitRunnerReady(deps: JoinDeps, runner: Exec, timeoutMs: number): Promise<void> {
  const t = tailnet(deps);
  const env = deps.envFile.data;
  const node = memberNode(t.runner!, runner, { log: deps.log, redactor: deps.redactor, sleep: deps.sleep });
  const deadline = Date.now() + timeoutMs;
  await node.waitForSubnetRoute(t.hub!.hostname, env.network.subnet, timeoutMs, 500);
  deps.progress(`runner: ${env.network.subnet} via ${t.hub!.hostname} is in routing table 52`);
  // The first packets to a new peer can be lost while its path is set up (tailscale/github-action#191):
  // a disco ping establishes it, so the first TCP connects do not sit out SYN retransmits.
  // Short pings, quickly repeated: the hub drops them until its netmap lists the runner.
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const pingUntil = Math.min(deadline, Date.now() + 20_000);
  let answered = !t.hub!.ip;
  while (!answered && Date.now() < pingUntil) {
    answered = await node.ping(t.hub!.ip!, 1, 1);
    if (!answered) await sleep(200);
  }
  if (!answered)
    deps.progress(`runner: warning: tailscale ping ${t.hub!.ip} got no answer; trying the endpoints anyway`);
  let pending = [...env.flintlock.endpoints];
  while (pending.length > 0) {
    // Short attempts, quickly repeated: a fresh SYN beats waiting for the kernel's retransmit.
    const results = await Promise.all(pending.map((ep) => tcpConnectFrom(runner, ep, 1)));
    deps.log(
      `[${runner.target}] TCP connect ${pending.map((ep, i) => `${ep} ${results[i] ? 'ok' : 'failed'}`).join(', ')}`,
    );
    pending = pending.filter((_, i) => !results[i]);
    if (pending.length === 0) break;
    if (Date.now() > deadline)
      throw new Error(
        `flintlock endpoint(s) ${pending.join(', ')} not reachable from the runner through the tailnet`,
      );
    await sleep(250);
  }
  deps.envFile.update((e) => (e.tailscale!.routeStatus = 'live'));
}
