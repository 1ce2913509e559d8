// REAL network test (root): stand-in flintlockd in a "host" namespace bound to its private address,
// microVMs as namespaces with a macvlan on bond0.1000 leasing from dnsmasq in a "hub" namespace,
// driven by the flintlock-client bundle from a third namespace. Everything is lm-<rand>-fl-*.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { flintlockBundles } from '../../__fixtures__/flintlock/bundles.js';
import { FlintlockNetLab } from '../../__fixtures__/flintlock/netlab.js';
import type { MicroVM } from '../../src/flintlock/types.js';

jest.setTimeout(120_000);

const IGNORED_MAC = '02:00:00:aa:bb:01';
const lab = new FlintlockNetLab();
let bundles: { standin: string; client: string };
const stateDir = join(lab.dir, 'state');
const endpoint = `${lab.hostIp}:9090`;
const holders: number[] = [];
let standin: ChildProcess | undefined;
let standinLog: string[] = [];

function startStandin(): ChildProcess {
  standinLog = [];
  standin = lab.spawnIn(
    lab.host,
    process.execPath,
    [
      bundles.standin,
      'run',
      '--grpc-endpoint',
      endpoint,
      '--parent-iface',
      lab.parent,
      '--insecure',
      '--state-dir',
      stateDir,
      '--default-provider',
      'cloudhypervisor',
      '--lease-timeout',
      '8',
    ],
    standinLog,
  );
  return standin;
}

async function fl(...args: string[]): Promise<unknown> {
  return JSON.parse(
    await lab.runIn(lab.cli, process.execPath, [bundles.client, '--endpoint', endpoint, ...args]),
  );
}

async function createAndWait(spec: object): Promise<MicroVM> {
  const created = (await fl('create', JSON.stringify(spec))) as MicroVM;
  expect(created.status.state).toBe('PENDING');
  const vm = (await fl('wait', created.spec.uid!, '--timeout-ms', '20000')) as MicroVM;
  if (vm.status.lmenvNetnsPid) holders.push(vm.status.lmenvNetnsPid);
  return vm;
}

function exited(c: ChildProcess): Promise<number | null> {
  return c.exitCode !== null
    ? Promise.resolve(c.exitCode)
    : new Promise((r) => c.once('exit', (code) => r(code)));
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}/ns/net`);
const toNum = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);

beforeAll(async () => {
  bundles = flintlockBundles();
  lab.up([IGNORED_MAC]);
  startStandin();
  await fl('wait-ready', '--timeout-ms', '20000');
});

afterAll(async () => {
  await lab.down();
});

describe('stand-in flintlockd on a real segment', () => {
  it('binds only the private address', () => {
    const listening = lab.inNs(lab.host, 'ss', ['-Hltn']);
    expect(listening).toContain(`${lab.hostIp}:9090`);
    expect(listening).not.toMatch(/(0\.0\.0\.0|\*|\[::\]):9090/);
  });

  it('creates a microVM that leases from the hub pool with router and DNS, then deletes it cleanly', async () => {
    const vm = await createAndWait({
      id: 'vm1',
      namespace: 'lab',
      interfaces: [{ deviceId: 'eth1', type: 'MACVTAP' }],
    });
    expect(vm.status.state).toBe('CREATED');
    const eth1 = vm.status.networkInterfaces.eth1;
    expect(eth1.hostDeviceName).toMatch(/^lmmv[0-9a-f]{8}$/);
    expect(eth1.macAddress).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const [addr, prefix] = eth1.lmenvIpv4Address.split('/');
    expect(prefix).toBe('25');
    expect(toNum(addr)).toBeGreaterThanOrEqual(toNum('192.168.1.26'));
    expect(toNum(addr)).toBeLessThanOrEqual(toNum('192.168.1.126'));
    expect(eth1.lmenvGateway).toBe(lab.router);
    expect(eth1.lmenvNameservers).toEqual([lab.dns]);

    const pid = vm.status.lmenvNetnsPid;
    const dir = join(stateDir, 'vms', vm.spec.uid!);
    expect(readFileSync(join(dir, 'resolv.conf'), 'utf8')).toBe(`nameserver ${lab.dns}\n`);
    expect(JSON.parse(readFileSync(join(dir, 'lease.json'), 'utf8'))).toMatchObject({
      address: eth1.lmenvIpv4Address,
      router: lab.router,
    });
    // Inside the microVM namespace: the address, the default route, and the hub answers.
    const inVm = (cmd: string[]): string =>
      lab.inNs(lab.host, 'nsenter', [`--net=/proc/${pid}/ns/net`, '--', ...cmd]);
    expect(inVm(['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth1'])).toContain(eth1.lmenvIpv4Address);
    expect(inVm(['ip', '-4', 'route', 'show', 'default'])).toContain(`default via ${lab.router} dev eth1`);
    expect(inVm(['ping', '-c', '1', '-W', '2', lab.router])).toContain('1 received');
    // The hub handed out that lease to that MAC (hostname = microVM id).
    expect(lab.leases()).toContain(`${eth1.macAddress} ${addr} vm1`);

    // A renewal (udhcpc SIGUSR1) keeps the address in place and rewrites the lease record.
    const rec = JSON.parse(readFileSync(join(dir, 'vm.json'), 'utf8')) as {
      res: { dhcp: { proc: { pid: number } }[] };
    };
    process.kill(rec.res.dhcp[0].proc.pid, 'SIGUSR1');
    let lease: { event?: string; address?: string } = {};
    for (let i = 0; i < 50 && lease.event !== 'renew'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      lease = JSON.parse(readFileSync(join(dir, 'lease-eth1.json'), 'utf8'));
    }
    expect(lease).toMatchObject({ event: 'renew', address: eth1.lmenvIpv4Address });
    expect(inVm(['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth1'])).toContain(eth1.lmenvIpv4Address);

    const listed = (await fl('list', '--namespace', 'lab')) as MicroVM[];
    expect(listed.map((m) => m.spec.id)).toEqual(['vm1']);
    expect((await fl('list', '--namespace', 'other')) as MicroVM[]).toEqual([]);

    await fl('delete', vm.spec.uid!);
    expect(alive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(lab.inNs(lab.host, 'ip', ['-o', 'link', 'show'])).not.toContain(eth1.hostDeviceName);
    expect(processesUsing(stateDir).filter((p) => !isStandin(p))).toEqual([]); // udhcpc is gone too
    // udhcpc -R released the lease on the way out.
    for (let i = 0; i < 20 && lab.leases().includes(eth1.macAddress); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(lab.leases()).not.toContain(eth1.macAddress);
  });

  it('reports FAILED with a message when no lease arrives in time', async () => {
    const vm = await createAndWait({
      id: 'nolease',
      interfaces: [{ deviceId: 'eth1', guestMac: IGNORED_MAC }],
    });
    expect(vm.status.state).toBe('FAILED');
    expect(vm.status.lmenvMessage).toBe('no DHCP lease on eth1 within 8s');
    expect(vm.status.networkInterfaces.eth1.macAddress).toBe(IGNORED_MAC);
    await fl('delete', vm.spec.uid!);
    expect(alive(vm.status.lmenvNetnsPid)).toBe(false);
  });

  it('a restarted stand-in removes microVMs a killed one left', async () => {
    const vm = await createAndWait({ id: 'orphan', interfaces: [{ deviceId: 'eth1' }] });
    expect(vm.status.state).toBe('CREATED');
    standin!.kill('SIGKILL');
    await exited(standin!);
    expect(alive(vm.status.lmenvNetnsPid)).toBe(true);
    startStandin();
    await fl('wait-ready', '--timeout-ms', '20000');
    expect(alive(vm.status.lmenvNetnsPid)).toBe(false);
    expect(standinLog.join('')).toContain('cleaned 1 microVM(s) left by a previous run');
    expect(readdirSync(join(stateDir, 'vms'))).toEqual([]);
  });

  it('removes every microVM on SIGTERM', async () => {
    const vms = await Promise.all(
      ['t1', 't2'].map((id) => createAndWait({ id, namespace: 'term', interfaces: [{ deviceId: 'eth1' }] })),
    );
    expect(vms.map((v) => v.status.state)).toEqual(['CREATED', 'CREATED']);
    const addrs = vms.map((v) => v.status.networkInterfaces.eth1.lmenvIpv4Address);
    expect(new Set(addrs).size).toBe(2);
    standin!.kill('SIGTERM');
    expect(await exited(standin!)).toBe(0);
    for (const v of vms) expect(alive(v.status.lmenvNetnsPid)).toBe(false);
    expect(readdirSync(join(stateDir, 'vms'))).toEqual([]);
    expect(lab.inNs(lab.host, 'ip', ['-o', 'link', 'show'])).not.toMatch(/lmmv/);
  });

  it('leaves no namespace, process or link behind', async () => {
    await lab.down();
    expect(lab.namespacesLeft()).toEqual([]);
    expect(lab.processesMentioning()).toEqual([]);
    expect(lab.rootLinksLeft()).toEqual([]);
    expect(holders.filter(alive)).toEqual([]);
  });
});

function processesUsing(text: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function isStandin(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(bundles.standin);
  } catch {
    return false;
  }
}
