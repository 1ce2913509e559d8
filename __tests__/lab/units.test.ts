import { afterAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../__fixtures__/lab/lab.js';
import { envFilePath, progressPrinter } from '../../src/cli/commands/env-options.js';
import { UserError, ValidationError } from '../../src/env/errors.js';
import {
  assignAddresses,
  blocksFor,
  candidateBlocks,
  granules,
  overlaps,
  prefixFor,
} from '../../src/providers/lab/addresses.js';
import { decodeAnswers, encodeQuery } from '../../src/providers/lab/dns-probe.js';
import { etcFiles, HOLDER_SCRIPT, sshdConfig } from '../../src/providers/lab/host-files.js';
import { dnsmasqArgv } from '../../src/providers/lab/internet.js';
import { checkIfName, labNames, ownerOfName } from '../../src/providers/lab/names.js';
import { labPreflight } from '../../src/providers/lab/preflight.js';
import { parseStat } from '../../src/providers/lab/procs.js';
import { providerFor } from '../../src/providers/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lm-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lab names', () => {
  test('fit in 15 characters for the longest environment id and stay apart per environment', () => {
    const n = labNames('lm-abcdefgh');
    expect(n.rootLink).toBe('lmabcdefgh-up');
    expect(n.rootLink.length).toBeLessThanOrEqual(15);
    expect(n.host('host64')).toBe('lm-abcdefgh-host64');
    expect(checkIfName(n.vlanBridge(4094))).toBe('vlan4094');
    expect(() => checkIfName('a-very-long-interface')).toThrow(/not usable/);
    // lm-abc's prefixes are not prefixes of lm-abcd's names
    const a = labNames('lm-abc');
    const b = labNames('lm-abcd');
    expect(b.inet.startsWith(a.nsPrefix)).toBe(false);
    expect(b.rootLink.startsWith(a.linkPrefix)).toBe(false);
    expect(ownerOfName('lm-abc-host1')).toBe('lm-abc');
    expect(ownerOfName('lmabc-up')).toBe('lm-abc');
    expect(ownerOfName('eth0')).toBeUndefined();
    expect(() => labNames('not-an-id')).toThrow(/not an lm-env environment id/);
  });
});

describe('lab public addressing', () => {
  test('block size grows with the host count', () => {
    expect(prefixFor(2)).toBe(28);
    expect(prefixFor(10)).toBe(28);
    expect(prefixFor(11)).toBe(27);
    expect(prefixFor(64)).toBe(25);
    expect(() => prefixFor(300)).toThrow(/at most/);
  });

  test('candidates cover both documentation ranges, aligned, in an id-dependent order', () => {
    const all = candidateBlocks(28);
    expect(all).toHaveLength(32);
    expect(all[0]).toEqual({ network: '198.51.100.0', prefix: 28 });
    expect(all[31]).toEqual({ network: '203.0.113.240', prefix: 28 });
    const order = blocksFor('lm-3f9c2a', 28);
    expect(new Set(order.map((b) => b.network)).size).toBe(32);
    expect(blocksFor('lm-3f9c2a', 28)).toEqual(order);
    expect(granules({ network: '203.0.113.64', prefix: 26 })).toEqual([
      '203.0.113.64',
      '203.0.113.80',
      '203.0.113.96',
      '203.0.113.112',
    ]);
  });

  test('overlap detection against root routes', () => {
    const b = { network: '198.51.100.32', prefix: 28 };
    expect(overlaps(b, '198.51.100.0/24')).toBe(true);
    expect(overlaps(b, '198.51.100.40')).toBe(true);
    expect(overlaps(b, '198.51.100.48/28')).toBe(false);
    expect(overlaps(b, '192.0.2.0/24')).toBe(false);
    expect(overlaps(b, '0.0.0.0/0')).toBe(true);
  });

  test('addresses: root .1, inet .2, runner .3, hub .4, hosts after', () => {
    const a = assignAddresses({ network: '203.0.113.16', prefix: 28 }, ['hub', 'host1', 'host2']);
    expect(a).toEqual({
      block: { network: '203.0.113.16', prefix: 28 },
      root: '203.0.113.17',
      inet: '203.0.113.18',
      runner: '203.0.113.19',
      hosts: { hub: '203.0.113.20', host1: '203.0.113.21', host2: '203.0.113.22' },
    });
    const names = ['hub', ...Array.from({ length: 11 }, (_, i) => `host${i + 1}`)];
    expect(() => assignAddresses({ network: '203.0.113.16', prefix: 28 }, names)).toThrow(/too small/);
  });
});

describe('lab rendering', () => {
  const h = {
    envId: 'lm-abc',
    hostName: 'host1',
    hostname: 'lm-abc-host1',
    publicIp: '198.51.100.5',
    dnsServer: '198.51.100.2',
  };
  test('sshd listens on the public address only, keys only', () => {
    const c = sshdConfig(h);
    expect(c).toContain('ListenAddress 198.51.100.5\n');
    expect(c).toContain('PasswordAuthentication no\n');
    expect(c).toContain('HostKey /etc/ssh/ssh_host_ed25519_key\n');
    expect(c).not.toMatch(/0\.0\.0\.0/);
    const files = etcFiles(h, 'ssh-ed25519 AAAA test');
    expect(files.find((f) => f.path === 'resolv.conf')?.content).toContain('nameserver 198.51.100.2');
    expect(files.find((f) => f.path === 'ssh/lm-env_authorized_keys')?.content).toBe(
      'ssh-ed25519 AAAA test\n',
    );
  });

  test('the holder script never creates directories outside its own upper/work dirs', () => {
    expect(HOLDER_SCRIPT).toContain('[ -d "/$d" ] || continue');
    expect(HOLDER_SCRIPT).not.toMatch(/mkdir -p "\/\$d"/);
    expect(HOLDER_SCRIPT).toMatch(/echo ready\nexec sleep infinity/);
  });

  test('dnsmasq is bound to the inet address and never forwards', () => {
    const argv = dnsmasqArgv('198.51.100.2', '198.51.100.2');
    expect(argv).toContain('--no-resolv');
    expect(argv).toContain('--bind-interfaces');
    expect(argv).toContain('--listen-address=198.51.100.2');
    expect(argv).toContain('--address=/lab.test/198.51.100.2');
  });

  test('DNS probe encodes a query and decodes an answer', () => {
    const q = encodeQuery('www.lab.test', 0x1234);
    expect(q.subarray(12).toString('latin1')).toBe('\x03www\x03lab\x04test\x00\x00\x01\x00\x01');
    const answer = Buffer.concat([
      Buffer.from([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]),
      q.subarray(12),
      Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 198, 51, 100, 2]),
    ]);
    expect(decodeAnswers(answer, 0x1234)).toEqual({ rcode: 0, addresses: ['198.51.100.2'] });
    expect(() => decodeAnswers(answer, 1)).toThrow(/not the answer/);
  });

  test('parseStat reads the start time even when comm has spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = 'S';
    const line = `1234 (a (weird) name) ${fields.join(' ')}`;
    expect(parseStat(line)).toBe(22);
    fields[0] = 'Z';
    expect(parseStat(`1 (x) ${fields.join(' ')}`)).toBeUndefined();
  });

  test('progress lines carry the time since start', () => {
    let out = '';
    progressPrinter((t) => (out += t), Date.now() - 1200)('hub', 'namespace lm-x-hub created');
    expect(out).toMatch(/^\[ {2}1\.2s\] hub: namespace lm-x-hub created\n$/);
  });
});

describe('preflight and CLI guards', () => {
  test('not root: a clear UserError', () => {
    expect(() => labPreflight(1000, () => '/usr/bin/x')).toThrow(UserError);
    expect(() => labPreflight(1000, () => '/usr/bin/x')).toThrow(/needs root/);
  });

  test('a missing binary names the Debian package', () => {
    const find = (b: string): string | undefined =>
      b === 'dnsmasq' || b === 'sshd' ? undefined : `/usr/bin/${b}`;
    expect(() => labPreflight(0, find)).toThrow(
      "the lab provider needs sshd, dnsmasq, not found in PATH: install with 'apt-get install -y openssh-server dnsmasq-base' (or run scripts/lab-deps.sh)",
    );
  });

  test('non-lab providers are refused before anything is created', async () => {
    expect(() => providerFor('latitude')).toThrow(/provider 'latitude' is not implemented in this build/);
    const p = join(dir, 'x.json');
    const r = await cli(['up', '--provider', 'equinix', '--env', p]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/equinix/);
    expect(existsSync(p)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('--env-file and --env: both accepted, conflicting values rejected', () => {
    expect(envFilePath({ 'env-file': 'a.json' })).toBe('a.json');
    expect(envFilePath({ env: 'b.json' })).toBe('b.json');
    expect(envFilePath({})).toBe('./lm-env.json');
    expect(() => envFilePath({ 'env-file': 'a.json', env: 'b.json' })).toThrow(ValidationError);
  });

  test('down of a missing file is a no-op; status of a missing file is an error', async () => {
    const p = join(dir, 'none.json');
    expect((await cli(['down', '--env', p])).code).toBe(0);
    const s = await cli(['status', '--env-file', p]);
    expect(s.code).toBe(1);
    expect(s.err).toMatch(/not found/);
  });

  test('up refuses to overwrite an existing Environment file', async () => {
    const p = join(dir, 'exists.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(p, '{}');
    const r = await cli(['up', '--provider', 'lab', '--env', p]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/already exists/);
    rmSync(p);
  });
});
