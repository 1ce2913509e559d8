import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A three-namespace segment for flintlock tests, all named lm-<rand>-fl-*:
 *   hub  — bridge br0 192.168.1.2/25 + dnsmasq (DHCP .26–.126, router .2, DNS 203.0.113.53)
 *   host — bond0.1000 192.168.1.3/25 (the flintlock host's VLAN interface; a veth into br0)
 *   cli  — eth0 192.168.1.10/25 (a caller on the VLAN, like the hub or another host)
 * Nothing is created in the root namespace: veths are created inside hub with their peer in place.
 */
export class FlintlockNetLab {
  readonly rand = randomBytes(3).toString('hex');
  readonly prefix = `lm-${this.rand}-fl`;
  readonly hub = `${this.prefix}-hub`;
  readonly host = `${this.prefix}-host`;
  readonly cli = `${this.prefix}-cli`;
  readonly dir = mkdtempSync(join(tmpdir(), `${this.prefix}-`));
  readonly leaseFile = join(this.dir, 'dnsmasq.leases');
  readonly dnsmasqPid = join(this.dir, 'dnsmasq.pid');
  readonly dns = '203.0.113.53';
  readonly router = '192.168.1.2';
  readonly hostIp = '192.168.1.3';
  readonly parent = 'bond0.1000';
  private readonly children: ChildProcess[] = [];

  ip(...args: string[]): string {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  inNs(ns: string, cmd: string, args: string[]): string {
    return execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8' });
  }

  up(ignoreMacs: string[] = []): void {
    for (const ns of [this.hub, this.host, this.cli]) {
      this.ip('netns', 'add', ns);
      this.ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    this.ip('-n', this.hub, 'link', 'add', 'br0', 'type', 'bridge');
    this.ip('-n', this.hub, 'addr', 'add', `${this.router}/25`, 'dev', 'br0');
    this.ip('-n', this.hub, 'link', 'set', 'br0', 'up');
    for (const [port, ns, name, addr] of [
      ['vhost', this.host, this.parent, `${this.hostIp}/25`],
      ['vcli', this.cli, 'eth0', '192.168.1.10/25'],
    ]) {
      this.ip('-n', this.hub, 'link', 'add', port, 'type', 'veth', 'peer', 'name', name, 'netns', ns);
      this.ip('-n', this.hub, 'link', 'set', port, 'master', 'br0', 'up');
      this.ip('-n', ns, 'addr', 'add', addr, 'dev', name);
      this.ip('-n', ns, 'link', 'set', name, 'up');
    }
    const conf = [
      'port=0',
      'interface=br0',
      'bind-interfaces',
      'dhcp-range=192.168.1.26,192.168.1.126,255.255.255.128,10m',
      `dhcp-option=option:router,${this.router}`,
      `dhcp-option=option:dns-server,${this.dns}`,
      `dhcp-leasefile=${this.leaseFile}`,
      `pid-file=${this.dnsmasqPid}`,
      'dhcp-authoritative',
      ...ignoreMacs.map((m) => `dhcp-host=${m},ignore`),
    ];
    writeFileSync(join(this.dir, 'dnsmasq.conf'), `${conf.join('\n')}\n`);
    this.inNs(this.hub, 'dnsmasq', [`--conf-file=${join(this.dir, 'dnsmasq.conf')}`]);
  }

  /** Starts a process inside a namespace, output collected into `log`. */
  spawnIn(ns: string, cmd: string, args: string[], log: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    this.children.push(child);
    return child;
  }

  /** Runs a command in a namespace, resolving with stdout (rejecting with stderr). */
  runIn(ns: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        'ip',
        ['netns', 'exec', ns, cmd, ...args],
        { encoding: 'utf8', env, timeout: 60_000 },
        (err, out, errOut) => {
          if (err) reject(new Error(`${cmd} ${args.join(' ')} in ${ns}: ${errOut || err.message}`));
          else resolve(out);
        },
      );
    });
  }

  leases(): string {
    return existsSync(this.leaseFile) ? readFileSync(this.leaseFile, 'utf8') : '';
  }

  /** Kills what it started, deletes the namespaces and the temp dir. Safe to call twice. */
  async down(): Promise<void> {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    try {
      const pid = Number(readFileSync(this.dnsmasqPid, 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGTERM');
    } catch {
      /* not running */
    }
    for (const pid of this.processesMentioning()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const ns of [this.hub, this.host, this.cli]) {
      try {
        this.ip('netns', 'del', ns);
      } catch {
        /* absent */
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Pids whose command line mentions this lab's prefix (its temp dir, namespaces, stand-in state). */
  processesMentioning(): number[] {
    const out: number[] = [];
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
      try {
        if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(this.prefix)) out.push(Number(p));
      } catch {
        /* exited */
      }
    }
    return out;
  }

  namespacesLeft(): string[] {
    return this.ip('netns', 'list')
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter((n) => n.startsWith(this.prefix));
  }

  rootLinksLeft(): string[] {
    return (JSON.parse(this.ip('-j', 'link', 'show')) as { ifname: string }[])
      .map((l) => l.ifname)
      .filter((n) => n.includes(this.rand) || n.startsWith('lmmv') || n.startsWith('lmmp'));
  }
}
