import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentFile, Resource } from '../../env/environment.js';
import { generateHostKey } from '../../keys/generate.js';
import type { ProviderContext } from '../types.js';
import { assignAddresses, blockCidr, type LabAddresses } from './addresses.js';
import { claimBlock, LAB_RUN_DIR } from './claims.js';
import { queryA } from './dns-probe.js';
import { startHolder } from './holder.js';
import { etcFiles } from './host-files.js';
import { dnsmasqArgv, httpServerArgv, TEST_NAME } from './internet.js';
import { checkIfName, labNames, type LabNames } from './names.js';
import { findBinary } from './preflight.js';
import { nsInode, spawnDaemon, type ProcRef } from './procs.js';
import { ip } from './sys.js';
import { tcpOpen, waitUntil } from './wait.js';

export const HTTP_PORT = 80;

export function labDirFor(envId: string): string {
  return join(LAB_RUN_DIR, envId);
}

/** Creates the lab's pieces, recording each one in the Environment file the moment it exists. */
export class LabBuilder {
  readonly names: LabNames;
  constructor(
    private readonly ctx: ProviderContext,
    private readonly node = process.execPath,
  ) {
    this.names = labNames(ctx.envFile.data.id);
  }

  private get file(): EnvironmentFile {
    return this.ctx.envFile;
  }

  private check(): void {
    this.ctx.signal.throwIfAborted();
  }

  private record(r: Omit<Resource, 'createdAt'>, scope: string, message: string): void {
    this.file.addResource(r);
    this.ctx.progress(scope, message);
  }

  private get dir(): string {
    const d = this.file.data.lab?.dir;
    if (!d) throw new Error('lab directory not created yet');
    return d;
  }

  private addresses(): LabAddresses {
    const env = this.file.data;
    const subnet = env.lab?.publicSubnet;
    if (!subnet) throw new Error('public block not claimed yet');
    const [network, prefix] = subnet.split('/');
    return assignAddresses(
      { network, prefix: Number(prefix) },
      env.hosts.map((h) => h.name),
    );
  }

  private async addNetns(name: string, scope: string, host?: string): Promise<void> {
    this.check();
    await ip(undefined, 'netns', 'add', name);
    this.record(
      { kind: 'netns', id: name, host, meta: { inode: nsInode(`/run/netns/${name}`) ?? 0 } },
      scope,
      `namespace ${name} created`,
    );
    await ip(name, 'link', 'set', 'lo', 'up');
  }

  /** A veth pair between two namespaces (undefined = root), recorded as one link. */
  private async addVeth(
    a: { ns?: string; name: string },
    b: { ns: string; name: string },
    scope: string,
    host?: string,
  ): Promise<void> {
    this.check();
    checkIfName(a.name);
    checkIfName(b.name);
    await ip(a.ns, 'link', 'add', a.name, 'type', 'veth', 'peer', 'name', b.name, 'netns', b.ns);
    this.record(
      {
        kind: 'link',
        id: a.ns ? `${a.ns}:${a.name}` : a.name,
        name: a.name,
        host,
        meta: { netns: a.ns ?? '', peerNetns: b.ns, peer: b.name },
      },
      scope,
      `link ${a.name}${a.ns ? ` (${a.ns})` : ' (root namespace)'} ↔ ${b.name} (${b.ns}) created`,
    );
  }

  private startDaemon(
    argv: string[],
    log: string,
    what: string,
    scope: string,
    netns: string,
    host?: string,
  ): ProcRef & { exited: Promise<number | null> } {
    this.check();
    const p = spawnDaemon(argv, log);
    this.record(
      { kind: 'process', id: String(p.pid), name: what, host, meta: { startTime: p.startTime, netns } },
      scope,
      `${what} started (pid ${p.pid})`,
    );
    return p;
  }

  /** Lab directory, inet ("the internet": bridge, DNS, HTTP), the root veth and the runner. */
  async prepare(): Promise<void> {
    const n = this.names;
    const env = this.file.data;
    const dir = labDirFor(env.id);
    this.check();
    mkdirSync(LAB_RUN_DIR, { recursive: true, mode: 0o755 });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    this.file.update((e) => (e.lab = { ...e.lab, dir }));
    this.record({ kind: 'file', id: dir, meta: { dir: true } }, 'lab', `directory ${dir} created`);

    await this.addNetns(n.inet, 'inet');
    await ip(n.inet, 'link', 'add', n.publicBridge, 'type', 'bridge');
    await ip(n.inet, 'link', 'set', n.publicBridge, 'up');

    this.check();
    const { block, files } = claimBlock(env.id, env.hosts.length - 1, await rootRoutes());
    for (const f of files) this.file.addResource({ kind: 'file', id: f, meta: { claim: true } });
    this.file.update((e) => (e.lab = { ...e.lab, publicSubnet: blockCidr(block), rootLink: n.rootLink }));
    this.ctx.progress('lab', `public block ${blockCidr(block)} claimed`);
    const a = this.addresses();
    const plen = String(block.prefix);

    await this.addVeth({ name: n.rootLink }, { ns: n.inet, name: n.uplink }, 'inet');
    // No IPv6 link-local on our root end: nothing but the route to our block changes in root.
    await ip(undefined, 'link', 'set', n.rootLink, 'addrgenmode', 'none');
    await ip(undefined, 'addr', 'add', `${a.root}/${plen}`, 'dev', n.rootLink);
    await ip(undefined, 'link', 'set', n.rootLink, 'up');
    await ip(n.inet, 'link', 'set', n.uplink, 'master', n.publicBridge, 'up');
    await ip(n.inet, 'addr', 'add', `${a.inet}/${plen}`, 'dev', n.publicBridge);
    this.file.update((e) => (e.lab = { ...e.lab, rootAddress: a.root }));

    const docRoot = join(dir, 'www');
    mkdirSync(docRoot, { recursive: true, mode: 0o755 });
    writeFileSync(join(docRoot, 'index.html'), `lm-env lab internet ${env.id}\n`);
    const logs = join(dir, 'logs');
    mkdirSync(logs, { recursive: true, mode: 0o700 });
    const inetNs = `--net=/run/netns/${n.inet}`;
    const http = this.startDaemon(
      ['nsenter', inetNs, ...httpServerArgv(this.node, a.inet, HTTP_PORT, docRoot)],
      join(logs, 'http.log'),
      'http server',
      'inet',
      n.inet,
    );
    const dns = this.startDaemon(
      ['nsenter', inetNs, ...dnsmasqArgv(a.inet, a.inet)],
      join(logs, 'dnsmasq.log'),
      'dnsmasq',
      'inet',
      n.inet,
    );
    const httpUrl = `http://${a.inet}/`;
    this.file.update(
      (e) =>
        (e.lab = {
          ...e.lab,
          internet: {
            netns: n.inet,
            address: a.inet,
            httpUrl,
            dnsServer: a.inet,
            testName: TEST_NAME,
            docRoot,
          },
        }),
    );
    await waitUntil(
      () => tcpOpen(a.inet, HTTP_PORT),
      10000,
      this.ctx.signal,
      `http server on ${httpUrl}`,
      http.exited,
    );
    await waitUntil(
      async () => (await queryA(a.inet, TEST_NAME, 300).catch((): string[] => [])).includes(a.inet),
      10000,
      this.ctx.signal,
      `DNS on ${a.inet}`,
      dns.exited,
    );
    this.ctx.progress('inet', `http ${httpUrl} and DNS ${a.inet} (${TEST_NAME}) answer`);

    await this.addNetns(n.runner, 'runner');
    await this.addVeth({ ns: n.inet, name: 'runner' }, { ns: n.runner, name: 'eth0' }, 'runner');
    await ip(n.inet, 'link', 'set', 'runner', 'master', n.publicBridge, 'up');
    await ip(n.runner, 'addr', 'add', `${a.runner}/${plen}`, 'dev', 'eth0');
    await ip(n.runner, 'link', 'set', 'eth0', 'up');
    await ip(n.runner, 'route', 'add', 'default', 'via', a.inet);
    this.file.update((e) => (e.lab = { ...e.lab, runner: { netns: n.runner, address: a.runner } }));
  }

  /** The switch namespace with the VLAN's L2 segment (a bridge: this kernel has no 802.1Q). */
  async createVlan(): Promise<void> {
    const n = this.names;
    const vid = this.file.data.network.vlan.vid;
    await this.addNetns(n.switch, 'switch');
    await ip(n.switch, 'link', 'add', n.vlanBridge(vid), 'type', 'bridge');
    await ip(n.switch, 'link', 'set', n.vlanBridge(vid), 'up');
    this.file.update((e) => (e.lab = { ...e.lab, switch: { netns: n.switch } }));
    this.ctx.progress('switch', `VLAN ${vid} segment ${n.vlanBridge(vid)} up`);
  }

  async createHosts(): Promise<void> {
    const results = await Promise.allSettled(this.file.data.hosts.map((h) => this.createHost(h.name)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async createHost(name: string): Promise<void> {
    const n = this.names;
    const env = this.file.data;
    const host = env.hosts.find((h) => h.name === name);
    if (!host) throw new Error(`no host ${name}`);
    const a = this.addresses();
    const publicIp = a.hosts[name];
    const plen = String(a.block.prefix);
    const ns = n.host(name);
    const vlan = env.network.vlan;

    // Host key first: it exists before the host does, and only its public half leaves this machine.
    this.check();
    const hostDir = join(this.dir, 'hosts', name);
    const upper = join(hostDir, 'upper');
    const work = join(hostDir, 'work');
    mkdirSync(join(upper, 'etc', 'ssh'), { recursive: true, mode: 0o700 });
    mkdirSync(work, { recursive: true, mode: 0o700 });
    const key = generateHostKey(env.id, name);
    writeFileSync(join(upper, 'etc', 'ssh', 'ssh_host_ed25519_key'), key.privateKey, { mode: 0o600 });
    writeFileSync(join(upper, 'etc', 'ssh', 'ssh_host_ed25519_key.pub'), `${key.publicKey}\n`, {
      mode: 0o644,
    });
    chmodSync(join(upper, 'etc', 'ssh'), 0o755);
    chmodSync(join(upper, 'etc'), 0o755);
    for (const f of etcFiles(
      { envId: env.id, hostName: name, hostname: host.hostname, publicIp, dnsServer: a.inet },
      env.sshPublicKey ?? '',
    )) {
      writeFileSync(join(upper, 'etc', f.path), f.content, { mode: f.mode });
    }

    await this.addNetns(ns, name, name);
    this.file.update((e) => {
      const h = e.hosts.find((x) => x.name === name)!;
      h.lab = { netns: ns };
      h.providerId = ns;
    });
    await this.addVeth({ ns: n.inet, name }, { ns, name: vlan.parent }, name, name);
    await ip(n.inet, 'link', 'set', name, 'master', n.publicBridge, 'up');
    await ip(ns, 'addr', 'add', `${publicIp}/${plen}`, 'dev', vlan.parent);
    await ip(ns, 'link', 'set', vlan.parent, 'up');
    await ip(ns, 'route', 'add', 'default', 'via', a.inet);
    // The VLAN interface: its own L2 segment in the switch, left unconfigured (down, no address).
    await this.addVeth({ ns: n.switch, name }, { ns, name: vlan.interface }, name, name);
    await ip(n.switch, 'link', 'set', name, 'master', n.vlanBridge(vlan.vid), 'up');

    const holder = await startHolder(
      { envId: env.id, hostName: name, hostname: host.hostname, netns: ns, upper, work },
      this.ctx.signal,
      (p) =>
        this.file.addResource({
          kind: 'mount',
          id: String(p.pid),
          name: 'mount holder',
          host: name,
          meta: { startTime: p.startTime, netns: ns },
        }),
    );
    this.file.addResource({
      kind: 'mount',
      id: String(holder.pid),
      name: 'mount holder',
      host: name,
      meta: { startTime: holder.startTime, netns: ns, mntInode: nsInode(`/proc/${holder.pid}/ns/mnt`) ?? 0 },
    });
    this.ctx.progress(name, `private mounts ready (holder pid ${holder.pid})`);
    const nsArgs = [
      `--net=/run/netns/${ns}`,
      `--mount=/proc/${holder.pid}/ns/mnt`,
      `--uts=/proc/${holder.pid}/ns/uts`,
    ];
    this.startDaemon(
      [
        'nsenter',
        ...nsArgs,
        findBinary('sshd') ?? '/usr/sbin/sshd',
        '-D',
        '-e',
        '-f',
        '/etc/ssh/sshd_config',
      ],
      join(this.dir, 'logs', `${name}-sshd.log`),
      'sshd',
      name,
      ns,
      name,
    );
    this.file.update((e) => {
      const h = e.hosts.find((x) => x.name === name)!;
      h.publicIp = publicIp;
      h.ssh = { user: 'root', port: 22, hostKey: key.publicKey };
    });
    this.ctx.progress(name, `public ${publicIp}, host key ${key.fingerprint}`);
  }
}

/** Routes and addresses of the root namespace (to avoid when claiming a block). */
async function rootRoutes(): Promise<string[]> {
  const routes = JSON.parse(await ip(undefined, '-j', '-4', 'route', 'show', 'table', 'all')) as {
    dst?: string;
  }[];
  const addrs = JSON.parse(await ip(undefined, '-j', '-4', 'addr', 'show')) as {
    addr_info?: { local?: string; prefixlen?: number }[];
  }[];
  const out = routes.map((r) => r.dst ?? '').filter((d) => d !== '' && d !== 'default');
  for (const l of addrs)
    for (const ai of l.addr_info ?? []) if (ai.local) out.push(`${ai.local}/${ai.prefixlen ?? 32}`);
  return out;
}
