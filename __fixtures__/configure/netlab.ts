import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localExec } from '../../src/exec/local.js';
import { netnsExec } from '../../src/exec/netns.js';
import type { Exec } from '../../src/exec/types.js';
import { shq } from '../../src/hostconfig/shell.js';

/**
 * A throw-away network for configure tests, all in namespaces named lm-<rand>-cf-*:
 *   wan    198.51.100.1/24 on a bridge: DNS (dnsmasq answering www.lab.test) and an HTTP server
 *          that answers with the client address it sees; a route to the VLAN subnet via the hub
 *          (so "no inbound connections" is decided by the hub's firewall, not by a missing route).
 *   sw     the VLAN segment: a bridge (this kernel has no 8021q, so bond0.<vid> is a plain veth).
 *   hub, host1  bond0 (public, default route to wan) + unconfigured bond0.<vid> on the sw bridge,
 *          each with a private mount namespace (overlays on /etc and /var/lib, tmpfs on /run) so the
 *          apply script never touches this machine's /etc.
 *   client a DHCP client on the VLAN segment.
 */
export interface NetLab {
  prefix: string;
  dir: string;
  ns: { wan: string; sw: string; hub: string; host1: string; client: string };
  execFor(name: 'hub' | 'host1'): Exec;
  /** Runs a command in a namespace (no private mounts: write only under lab.dir). */
  inNs(
    ns: string,
    command: string,
    timeoutMs?: number,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  destroy(): Promise<string[]>;
}

const sh = localExec();

async function must(command: string): Promise<string> {
  const r = await sh.run(command, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`lab setup failed: ${command}\n${r.stderr}`);
  return r.stdout;
}

function startDaemon(argv: string[], log: string): ChildProcess {
  const fd = openSync(log, 'a');
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  return child;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`lab setup: ${what} did not become ready`);
}

/** Processes (other than this one) whose command line mentions the text. */
export function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(text)) found.push(`${pid} ${cmd.trim()}`);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

export async function createNetLab(vid = 1000, vlanSubnet = '192.168.1.0/25'): Promise<NetLab> {
  const prefix = `lm-${randomBytes(3).toString('hex')}-cf`;
  const dir = mkdtempSync(`/tmp/${prefix}-`);
  const ns = {
    wan: `${prefix}-wan`,
    sw: `${prefix}-sw`,
    hub: `${prefix}-hub`,
    host1: `${prefix}-host1`,
    client: `${prefix}-client`,
  };
  const holders: Record<string, number> = {};
  const vlanIf = `bond0.${vid}`;
  const lab: NetLab = {
    prefix,
    dir,
    ns,
    execFor(name) {
      return netnsExec({ netns: ns[name], mountNsPath: `/proc/${holders[name]}/ns/mnt`, label: name });
    },
    inNs(n, command, timeoutMs = 30_000) {
      return sh.run(`exec nsenter --net=/run/netns/${n} bash -c ${shq(command)}`, { timeoutMs });
    },
    async destroy() {
      const problems: string[] = [];
      for (const n of Object.values(ns)) {
        await sh.run(
          `[ -e /run/netns/${n} ] && for p in $(ip netns pids ${n}); do kill -9 "$p" 2>/dev/null; done; true`,
        );
      }
      for (const n of Object.values(ns)) {
        await waitFor(`processes in ${n} to exit`, async () => {
          const r = await sh.run(`[ -e /run/netns/${n} ] && ip netns pids ${n} || true`);
          return r.stdout.trim() === '';
        }).catch((e: Error) => problems.push(e.message));
        await sh.run(`[ -e /run/netns/${n} ] && ip netns del ${n}; true`);
      }
      rmSync(dir, { recursive: true, force: true });
      const left = await sh.run(
        `ip netns list | grep -F ${prefix} || true; ip -o link show | grep -F ${prefix} || true`,
      );
      if (left.stdout.trim()) problems.push(`left behind: ${left.stdout.trim()}`);
      problems.push(...processesMentioning(prefix).map((p) => `left behind: process ${p}`));
      return problems;
    },
  };

  try {
    for (const n of Object.values(ns)) {
      await must(`ip netns add ${n} && ip -n ${n} link set lo up`);
    }
    // public side
    await must(
      `ip -n ${ns.wan} link add br0 type bridge && ip -n ${ns.wan} addr add 198.51.100.1/24 dev br0 && ip -n ${ns.wan} link set br0 up`,
    );
    const hosts: Array<['hub' | 'host1', string]> = [
      ['hub', '198.51.100.2'],
      ['host1', '198.51.100.3'],
    ];
    for (const [h, pub] of hosts) {
      const n = ns[h];
      await must(
        `ip link add name bond0 netns ${n} type veth peer name ${h} netns ${ns.wan} && ` +
          `ip -n ${ns.wan} link set ${h} master br0 up && ip -n ${n} addr add ${pub}/24 dev bond0 && ` +
          `ip -n ${n} link set bond0 up && ip -n ${n} route add default via 198.51.100.1`,
      );
    }
    await must(`ip -n ${ns.wan} route add ${vlanSubnet} via 198.51.100.2`);
    // the VLAN segment
    await must(`ip -n ${ns.sw} link add br0 type bridge && ip -n ${ns.sw} link set br0 up`);
    for (const h of ['hub', 'host1'] as const) {
      await must(
        `ip link add name ${vlanIf} netns ${ns[h]} type veth peer name ${h} netns ${ns.sw} && ip -n ${ns.sw} link set ${h} master br0 up`,
      );
    }
    await must(
      `ip link add name eth1 netns ${ns.client} type veth peer name client netns ${ns.sw} && ip -n ${ns.sw} link set client master br0 up && ip -n ${ns.client} link set eth1 up`,
    );

    // private mount namespaces for hub and host1
    for (const h of ['hub', 'host1'] as const) {
      const d = join(dir, h);
      await must(`mkdir -p ${d}/etc-up ${d}/etc-work ${d}/lib-up ${d}/lib-work`);
      const setup = [
        `mount -t overlay overlay -o lowerdir=/etc,upperdir=${d}/etc-up,workdir=${d}/etc-work /etc`,
        `mount -t overlay overlay -o lowerdir=/var/lib,upperdir=${d}/lib-up,workdir=${d}/lib-work /var/lib`,
        'mount -t tmpfs tmpfs /run',
        'rm -f /etc/resolv.conf',
        "printf 'nameserver 198.51.100.1\\n' >/etc/resolv.conf",
        `touch ${d}/ready`,
        `exec -a sleep-${prefix} sleep infinity`,
      ].join(' && ');
      const child = startDaemon(
        [
          'nsenter',
          `--net=/run/netns/${ns[h]}`,
          'unshare',
          '--mount',
          '--propagation',
          'private',
          '--',
          'bash',
          '-c',
          setup,
        ],
        join(dir, `${h}-holder.log`),
      );
      holders[h] = child.pid as number;
      await waitFor(`${h} mount namespace`, async () => (await sh.run(`[ -e ${d}/ready ]`)).code === 0);
    }

    // wan services: DNS and an HTTP server that reports the source address it sees
    startDaemon(
      [
        'nsenter',
        `--net=/run/netns/${ns.wan}`,
        'dnsmasq',
        '--keep-in-foreground',
        '--conf-file=/dev/null',
        '--no-resolv',
        '--no-hosts',
        '--address=/www.lab.test/198.51.100.1',
        '--listen-address=198.51.100.1',
        '--bind-interfaces',
        '--except-interface=lo',
        '--port=53',
        `--pid-file=${dir}/wan-dns.pid`,
        '--log-facility=-',
      ],
      join(dir, 'wan-dns.log'),
    );
    const httpJs = join(dir, 'http.cjs');
    writeFileSync(
      httpJs,
      `require('http').createServer((q, r) => r.end(q.socket.remoteAddress)).listen(Number(process.argv[2]), process.argv[3]);\n`,
    );
    startDaemon(
      ['nsenter', `--net=/run/netns/${ns.wan}`, process.execPath, httpJs, '80', '198.51.100.1'],
      join(dir, 'wan-http.log'),
    );
    // a service on host1 (all addresses) to probe isolation of the private side
    startDaemon(
      ['nsenter', `--net=/run/netns/${ns.host1}`, process.execPath, httpJs, '8080', '0.0.0.0'],
      join(dir, 'host1-http.log'),
    );
    await waitFor(
      'wan HTTP server',
      async () => (await lab.inNs(ns.wan, 'exec 3<>/dev/tcp/198.51.100.1/80')).code === 0,
    );
    await waitFor('wan DNS', async () =>
      (await lab.inNs(ns.wan, 'busybox nslookup www.lab.test 198.51.100.1')).stdout.includes('198.51.100.1'),
    );
    return lab;
  } catch (e) {
    await lab.destroy();
    throw e;
  }
}

/** udhcpc on the client's eth1; the hook script records the lease under lab.dir (never /etc). */
export async function dhcpLease(lab: NetLab): Promise<Record<string, string>> {
  const script = join(lab.dir, 'udhcpc.sh');
  const out = join(lab.dir, 'lease.env');
  writeFileSync(
    script,
    `#!/bin/sh
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/$mask" dev "$interface"
    ip route replace default via "$router" dev "$interface"
    printf 'ip=%s\\nmask=%s\\nrouter=%s\\ndns=%s\\nlease=%s\\nserverid=%s\\n' "$ip" "$mask" "$router" "$dns" "$lease" "$serverid" >${out}
    ;;
esac
`,
    { mode: 0o755 },
  );
  rmSync(out, { force: true });
  const r = await lab.inNs(lab.ns.client, `busybox udhcpc -i eth1 -n -q -f -t 8 -T 2 -s ${script}`, 60_000);
  if (r.code !== 0) throw new Error(`udhcpc got no lease: ${r.stderr}${r.stdout}`);
  const env = (await sh.run(`cat ${out}`)).stdout;
  return Object.fromEntries(
    env
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]),
  );
}
