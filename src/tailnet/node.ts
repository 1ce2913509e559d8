import type { Exec, ExecResult } from '../exec/types.js';
import { Redactor } from './redact.js';
import { parseStatusJson, routeInTable52, routeReadiness, type TailscaleStatus } from './status.js';

/**
 * Drives tailscaled and the tailscale CLI on one target through the Exec port (a lab namespace, the
 * runner itself, or a host over SSH). Every command is logged — redacted — so auth keys never travel
 * on a command line: they are written to a mode-0600 file and passed as --auth-key=file:<path>.
 * `tailscale up` runs under coreutils `timeout` on the target, so a hung CLI is killed (with its process
 * group) whatever the transport, and the Exec timeout is a second line behind it.
 */

export interface TailscaleNodeOptions {
  exec: Exec;
  /** Working directory on the target: socket, pid, logs, state, key file. Created with mode 0700. */
  dir: string;
  tailscale?: string;
  tailscaled?: string;
  /** TUN interface name (≤ 15 chars); default tailscale0. */
  tun?: string;
  /** WireGuard UDP port; default 0 (any free one), so several nodes can share a namespace. */
  port?: number;
  /** Keep node state in <dir>/state instead of memory (a memory-state node registers as ephemeral). */
  persistState?: boolean;
  /** Extra environment for tailscaled and the CLI, e.g. SSL_CERT_FILE for a lab CA. */
  env?: Record<string, string>;
  log?: (line: string) => void;
  redactor?: Redactor;
  /** Time between our `timeout` sending TERM and KILL, and our margin over tailscale's own --timeout. */
  killGraceSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface UpOptions {
  authKey: string;
  hostname: string;
  loginServer?: string;
  advertiseRoutes?: string[];
  acceptRoutes?: boolean;
  advertiseTags?: string[];
  acceptDns?: boolean;
  /** Per attempt; passed to `tailscale up --timeout` and enforced by us. */
  timeoutSeconds: number;
  /** Attempts in total (default 3). */
  attempts?: number;
  extraArgs?: string[];
}

export class TailscaleUpError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'TailscaleUpError';
  }
}

/** Single-quotes a word for bash. */
export function q(s: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The `tailscale up` argument list (pure; the key is referenced by file, never inline). */
export function upArgs(o: UpOptions, keyFile: string): string[] {
  const a = [
    'up',
    '--reset',
    `--auth-key=file:${keyFile}`,
    `--hostname=${o.hostname}`,
    `--timeout=${o.timeoutSeconds}s`,
  ];
  if (o.loginServer) a.push(`--login-server=${o.loginServer}`);
  if (o.advertiseRoutes?.length) a.push(`--advertise-routes=${o.advertiseRoutes.join(',')}`);
  if (o.acceptRoutes) a.push('--accept-routes');
  if (o.advertiseTags?.length) a.push(`--advertise-tags=${o.advertiseTags.join(',')}`);
  a.push(`--accept-dns=${o.acceptDns ? 'true' : 'false'}`);
  a.push(...(o.extraArgs ?? []));
  return a;
}

/** Environment that keeps tailscaled from uploading logs (and writes its log state locally). */
export function daemonEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { TS_NO_LOGS_NO_SUPPORT: 'true', TS_LOGS_DIR: `${dir}/logs`, ...extra };
}

/** A double-quoted systemd argument: systemd expands $ and % itself, so both are doubled. */
export function systemdQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '$$$$').replace(/%/g, '%%')}"`;
}

function envPrefix(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name ${k}`);
      return `${k}=${q(v)}`;
    })
    .join(' ');
}

export class TailscaleNode {
  readonly socket: string;
  private readonly tailscale: string;
  private readonly tailscaled: string;
  private readonly tun: string;
  private readonly redactor: Redactor;
  private readonly grace: number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Flags of the last `up` (never the key), for the #266 repair. */
  private lastUp?: Omit<UpOptions, 'authKey'>;

  constructor(private readonly o: TailscaleNodeOptions) {
    this.socket = `${o.dir}/tailscaled.sock`;
    this.tailscale = o.tailscale ?? 'tailscale';
    this.tailscaled = o.tailscaled ?? 'tailscaled';
    this.tun = o.tun ?? 'tailscale0';
    this.redactor = o.redactor ?? new Redactor();
    this.grace = o.killGraceSeconds ?? 10;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    if (this.tun.length > 15) throw new Error(`TUN name ${this.tun} is longer than 15 characters`);
  }

  private get pidFile(): string {
    return `${this.o.dir}/tailscaled.pid`;
  }

  private cli(args: string[]): string {
    const env = envPrefix(this.o.env ?? {});
    return `${env ? `env ${env} ` : ''}${q(this.tailscale)} --socket=${q(this.socket)} ${args.map(q).join(' ')}`;
  }

  private async run(command: string, timeoutMs?: number): Promise<ExecResult> {
    this.o.log?.(`[${this.o.exec.target}] $ ${this.redactor.redact(command)}`);
    const r = await this.o.exec.run(command, { timeoutMs });
    return { ...r, stdout: this.redactor.redact(r.stdout), stderr: this.redactor.redact(r.stderr) };
  }

  private daemonArgs(): string[] {
    const a = [
      `--socket=${this.socket}`,
      `--tun=${this.tun}`,
      `--port=${this.o.port ?? 0}`,
      '--no-logs-no-support',
    ];
    a.push(`--statedir=${this.o.dir}/state`);
    if (!this.o.persistState) a.push('--state=mem:');
    return a;
  }

  /** The bash command that records its pid and becomes tailscaled (used detached and as a unit's ExecStart). */
  daemonCommand(): string {
    return `echo $$ > ${q(this.pidFile)}; exec env ${envPrefix(daemonEnv(this.o.dir, this.o.env))} ${q(this.tailscaled)} ${this.daemonArgs().map(q).join(' ')}`;
  }

  /**
   * A systemd unit running the same command: on a real host tailscaled then survives the SSH session
   * and a reboot restarts it. The pid file is written the same way, so stopDaemon works for both.
   */
  systemdUnit(description: string): string {
    return [
      '[Unit]',
      `Description=${description}`,
      'After=network-online.target',
      'Wants=network-online.target',
      '',
      '[Service]',
      `ExecStart=/bin/bash -c ${systemdQuote(this.daemonCommand())}`,
      `StandardOutput=append:${this.o.dir}/tailscaled.log`,
      `StandardError=append:${this.o.dir}/tailscaled.log`,
      'Restart=on-failure',
      'RestartSec=5',
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n');
  }

  /**
   * Starts tailscaled and waits until it answers. 'direct': detached (own session, output to
   * <dir>/tailscaled.log). { systemdUnit }: as that unit (written, enabled, started).
   */
  async startDaemon(readyTimeoutMs = 15_000, via: { systemdUnit?: string } = {}): Promise<void> {
    const d = q(this.o.dir);
    const inner = this.daemonCommand();
    const prep = `set -e; mkdir -p ${d}/state ${d}/logs; chmod 700 ${d}; `;
    let cmd: string;
    if (via.systemdUnit) {
      const unit = `/etc/systemd/system/${via.systemdUnit}.service`;
      await this.o.exec.upload(this.systemdUnit(`lm-env tailscaled (${this.o.dir})`), unit, 0o644);
      cmd = `${prep}systemctl daemon-reload; systemctl enable --now ${q(via.systemdUnit)}.service`;
    } else {
      cmd =
        prep +
        `if [ -s ${q(this.pidFile)} ] && kill -0 "$(cat ${q(this.pidFile)})" 2>/dev/null; then exit 0; fi; ` +
        `setsid bash -c ${q(inner)} > ${d}/tailscaled.log 2>&1 < /dev/null &`;
    }
    const r = await this.run(cmd, 30_000);
    if (r.code !== 0)
      throw new Error(
        `could not start tailscaled on ${this.o.exec.target}: ${(r.stderr || r.stdout).trim()}`,
      );
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      const s = await this.run(this.cli(['status', '--json']), 10_000);
      if (s.stdout.includes('"BackendState"')) return;
      if (!(await this.daemonAlive()) || Date.now() > deadline) {
        const log = await this.run(`tail -n 20 ${d}/tailscaled.log 2>/dev/null`, 10_000);
        throw new Error(
          `tailscaled on ${this.o.exec.target} did not come up within ${readyTimeoutMs} ms:\n${log.stdout.trim()}`,
        );
      }
      await this.sleep(250);
    }
  }

  /** pid of the running tailscaled (from its pid file), or undefined. */
  async daemonPid(): Promise<number | undefined> {
    const r = await this.run(
      `p=$(cat ${q(this.pidFile)} 2>/dev/null) && kill -0 "$p" 2>/dev/null && echo "$p"`,
      10_000,
    );
    const n = Number(r.stdout.trim());
    return r.code === 0 && Number.isInteger(n) && n > 0 ? n : undefined;
  }

  async daemonAlive(): Promise<boolean> {
    const r = await this.run(
      `[ -s ${q(this.pidFile)} ] && kill -0 "$(cat ${q(this.pidFile)})" 2>/dev/null`,
      10_000,
    );
    return r.code === 0;
  }

  /**
   * `tailscale up` with bounded attempts. Each attempt is killed when it overruns its timeout; success
   * means the backend reports Running. The key file is removed afterwards in every case.
   */
  async up(o: UpOptions): Promise<TailscaleStatus> {
    this.redactor.add(o.authKey);
    const { authKey: _key, ...flags } = o;
    this.lastUp = flags;
    const keyFile = `${this.o.dir}/authkey`;
    await this.run(`mkdir -p ${q(this.o.dir)} && chmod 700 ${q(this.o.dir)}`, 10_000);
    await this.o.exec.upload(`${o.authKey}\n`, keyFile, 0o600);
    const attempts = o.attempts ?? 3;
    const limit = o.timeoutSeconds + this.grace;
    const cmd = `timeout --kill-after=${this.grace}s ${limit}s ${this.cli(upArgs(o, keyFile))}`;
    let last = '';
    let timedOut = false;
    try {
      for (let i = 1; i <= attempts; i++) {
        const r = await this.run(cmd, (limit + this.grace + 15) * 1000).catch((e: Error) => ({
          code: -1,
          stdout: '',
          stderr: this.redactor.redact(e.message),
        }));
        timedOut = r.code === 124 || r.code === 137 || r.code === -1;
        if (r.code === 0) {
          const st = await this.status();
          if (st.backendState === 'Running') return st;
          last = `backend is ${st.backendState} after tailscale up${st.health.length ? `: ${st.health.join('; ')}` : ''}`;
        } else if (timedOut) {
          last = `tailscale up did not finish within ${limit}s and was killed`;
        } else {
          last = `tailscale up exited ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`;
        }
        this.o.log?.(`[${this.o.exec.target}] attempt ${i}/${attempts} failed: ${last}`);
        if (i < attempts) await this.sleep(Math.min(10_000, 1000 * 2 ** (i - 1)));
      }
    } finally {
      await this.run(`rm -f ${q(keyFile)}`, 10_000).catch(() => undefined);
    }
    throw new TailscaleUpError(
      `tailscale up failed on ${this.o.exec.target} after ${attempts} attempts: ${last}`,
      timedOut,
    );
  }

  async status(): Promise<TailscaleStatus> {
    const r = await this.run(this.cli(['status', '--json']), 15_000);
    return parseStatusJson(r.stdout);
  }

  /** `ip route show table 52` on the target contains the subnet. */
  async routeInstalled(subnet: string): Promise<boolean> {
    const r = await this.run('ip route show table 52', 10_000);
    return r.code === 0 && routeInTable52(r.stdout, subnet);
  }

  /**
   * Polls until the hub serves `subnet` and the route is installed here; throws with the last reason.
   * When status shows the route but table 52 lacks it (tailscale/github-action#266) the repair
   * escalates, each step after `repairAfterMs` more without the route: first accept-routes is switched
   * off and on (tailscaled reprograms its routes), then the node goes down and up again with the
   * flags of its last `up` (no key needed: the node is still logged in).
   */
  async waitForSubnetRoute(
    hubHostname: string,
    subnet: string,
    timeoutMs: number,
    intervalMs = 1000,
    repairAfterMs = 5000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let reason = 'not checked';
    let missingSince: number | undefined;
    const repairs: string[] = [];
    for (;;) {
      const st = await this.status().catch((e: Error) => e);
      if (st instanceof Error) reason = st.message;
      else {
        const r = routeReadiness(st, hubHostname, subnet);
        reason = r.reason;
        if (r.ready) {
          if (await this.routeInstalled(subnet)) return;
          reason = `status shows ${subnet} via ${hubHostname} but it is not in routing table 52`;
          missingSince ??= Date.now();
          if (repairs.length < 2 && Date.now() - missingSince >= repairAfterMs) {
            missingSince = Date.now();
            if (repairs.length === 0) {
              repairs.push('re-applying --accept-routes');
              this.o.log?.(`[${this.o.exec.target}] ${reason}: re-applying --accept-routes`);
              await this.run(this.cli(['set', '--accept-routes=false']), 15_000);
              await this.run(this.cli(['set', '--accept-routes=true']), 15_000);
            } else if (this.lastUp) {
              repairs.push('tailscale down + up');
              this.o.log?.(`[${this.o.exec.target}] ${reason}: tailscale down, then up again`);
              await this.reconnect(this.lastUp);
            } else repairs.push('(no earlier up to repeat)');
          }
          if (repairs.length > 0) reason += ` (also after ${repairs.join(', then ')})`;
        } else missingSince = undefined;
      }
      if (Date.now() + intervalMs > deadline) {
        throw new Error(
          `subnet ${subnet} not reachable through ${hubHostname} on ${this.o.exec.target} within ${timeoutMs} ms: ${reason}`,
        );
      }
      await this.sleep(intervalMs);
    }
  }

  /** `tailscale down`, then `up` with the flags of the last `up` minus the key, under the same timeout. */
  private async reconnect(o: Omit<UpOptions, 'authKey'>): Promise<void> {
    await this.run(`timeout --kill-after=5s 30s ${this.cli(['down'])}`, 45_000);
    const args = upArgs({ ...o, authKey: '' }, '').filter((a) => !a.startsWith('--auth-key='));
    const limit = o.timeoutSeconds + this.grace;
    const r = await this.run(
      `timeout --kill-after=${this.grace}s ${limit}s ${this.cli(args)}`,
      (limit + this.grace + 15) * 1000,
    ).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
    if (r.code !== 0)
      this.o.log?.(
        `[${this.o.exec.target}] tailscale up after down failed (exit ${r.code}): ${r.stderr.trim()}`,
      );
  }

  /**
   * `tailscale ping -c 1`, retried with backoff: the first ping after a join can fail while the peer's
   * netmap and DERP path settle (tailscale/github-action#191). True when the peer answered.
   */
  async ping(ip: string, timeoutSeconds = 5, attempts = 5): Promise<boolean> {
    for (let i = 1; i <= attempts; i++) {
      const r = await this.run(
        this.cli(['ping', '-c', '1', `--timeout=${timeoutSeconds}s`, ip]),
        (timeoutSeconds + 10) * 1000,
      );
      if (r.code === 0) return true;
      this.o.log?.(
        `[${this.o.exec.target}] ping ${ip} ${i}/${attempts}: ${(r.stdout + r.stderr).trim().split('\n').pop()}`,
      );
      if (i < attempts) await this.sleep(Math.min(5000, 500 * 2 ** (i - 1)));
    }
    return false;
  }

  /** Logs out (an ephemeral node is then removed by the control server). Failure is only reported. */
  async logout(): Promise<boolean> {
    const r = await this.run(`timeout --kill-after=5s 30s ${this.cli(['logout'])}`, 45_000).catch(
      () => undefined,
    );
    if (!r || r.code !== 0) {
      this.o.log?.(
        `[${this.o.exec.target}] warning: tailscale logout failed: ${r ? (r.stderr || r.stdout).trim() : 'no answer'}`,
      );
      return false;
    }
    return true;
  }

  /** Stops tailscaled (TERM, then KILL after 5 s) and removes its routes and rules (`tailscaled --cleanup`). Idempotent. */
  async stopDaemon(): Promise<void> {
    const pf = q(this.pidFile);
    await this.run(
      `if [ -s ${pf} ]; then p=$(cat ${pf}); kill "$p" 2>/dev/null || true; ` +
        `for i in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; ` +
        `kill -9 "$p" 2>/dev/null || true; rm -f ${pf}; fi`,
      20_000,
    );
    const env = envPrefix(daemonEnv(this.o.dir, this.o.env));
    await this.run(
      `env ${env} timeout 20s ${q(this.tailscaled)} --cleanup --socket=${q(this.socket)} --tun=${q(this.tun)} --statedir=${q(`${this.o.dir}/state`)} >/dev/null 2>&1; rm -f ${q(this.socket)}; true`,
      30_000,
    );
  }
}
