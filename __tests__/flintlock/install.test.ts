import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  grpcEndpointProblems,
  renderFlintlockdConfig,
  renderFlintlockdUnit,
  renderFlintlockInstallScript,
} from '../../src/flintlock/install.js';
import { parseSimpleYaml } from '../../src/flintlock/standin/yaml.js';
import { resolveConfig } from '../../src/flintlock/standin/config.js';
import { renderUdhcpcScript } from '../../src/flintlock/standin/udhcpc-script.js';
import { flintlockReleaseUrl, FLINTLOCK_RELEASE } from '../../src/flintlock/versions.js';

const tmp = mkdtempSync(join(tmpdir(), 'lm-fl-sc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs shellcheck on a script; returns its findings ('' = clean). */
function shellcheck(name: string, text: string, shell = 'bash'): string {
  const f = join(tmp, name);
  writeFileSync(f, text);
  try {
    execFileSync('shellcheck', ['-s', shell, '-S', 'style', f], { encoding: 'utf8' });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

const base = {
  artifactUrl: 'http://203.0.113.10/artifacts/flintlockd',
  sha256: 'a'.repeat(64),
  version: 'v0.11.0',
  config: { grpcEndpoint: '192.168.1.3:9090', parentIface: 'bond0.1000', insecure: true },
};

describe('renderFlintlockdConfig', () => {
  it('binds the private address, picks cloudhypervisor for macvtap, and round-trips through the stand-in parser', () => {
    const text = renderFlintlockdConfig({
      ...base.config,
      basicAuthToken: 's3cr"t',
      extra: { 'lease-timeout': 20 },
    });
    expect(text).toContain('grpc-endpoint: "192.168.1.3:9090"\n');
    expect(text).toContain('default-provider: "cloudhypervisor"\n');
    const cfg = resolveConfig({}, parseSimpleYaml(text));
    expect(cfg).toMatchObject({
      grpcEndpoint: { host: '192.168.1.3', port: 9090 },
      parentIface: 'bond0.1000',
      insecure: true,
      defaultProvider: 'cloudhypervisor',
      basicAuthToken: 's3cr"t',
      leaseTimeoutSeconds: 20,
    });
  });

  it('refuses 0.0.0.0, public addresses and firecracker with macvtap', () => {
    expect(grpcEndpointProblems('0.0.0.0:9090')[0]).toMatch(/binds every interface/);
    expect(grpcEndpointProblems('198.51.100.7:9090')[0]).toMatch(/not a private address/);
    expect(grpcEndpointProblems('10.1.2.3:9090')).toEqual([]);
    expect(grpcEndpointProblems('localhost:9090')[0]).toMatch(/private IPv4/);
    expect(() => renderFlintlockdConfig({ ...base.config, grpcEndpoint: '0.0.0.0:9090' })).toThrow(
      /binds every interface/,
    );
    expect(() => renderFlintlockdConfig({ ...base.config, defaultProvider: 'firecracker' })).toThrow(
      /rejects/,
    );
    expect(() => renderFlintlockdConfig({ grpcEndpoint: '10.0.0.3:9090', insecure: true })).toThrow(
      /parent-iface or bridge-name/,
    );
  });
});

describe('renderFlintlockdUnit', () => {
  it('keeps upstream semantics for real flintlockd', () => {
    const unit = renderFlintlockdUnit({
      bin: '/usr/local/bin/flintlockd',
      configFile: '/etc/opt/flintlockd/config.yaml',
      requiresContainerd: true,
    });
    for (const line of [
      'Requires=containerd.service',
      'ExecStart=/usr/local/bin/flintlockd run',
      'Restart=always',
      'RestartSec=5',
      'KillMode=process',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
    const lab = renderFlintlockdUnit({
      bin: '/usr/local/bin/flintlockd',
      configFile: '/tmp/c.yaml',
      requiresContainerd: false,
    });
    expect(lab).not.toContain('containerd');
    expect(lab).toContain('ExecStart=/usr/local/bin/flintlockd run --config /tmp/c.yaml');
  });
});

describe('renderFlintlockInstallScript', () => {
  it('passes shellcheck and pins url, checksum and paths', () => {
    const script = renderFlintlockInstallScript({
      ...base,
      config: { ...base.config, basicAuthToken: "it's" },
    });
    expect(shellcheck('install.sh', script)).toBe('');
    expect(script).toContain(`SHA256='${'a'.repeat(64)}'`);
    expect(script).toContain("URL='http://203.0.113.10/artifacts/flintlockd'");
    expect(script).toContain('basic-auth-token: "it\'s"');
    expect(script).toContain('put_file "$CONFIG" 600');
  });

  it('requires a checksum and an http(s) URL', () => {
    expect(() => renderFlintlockInstallScript({ ...base, sha256: '' })).toThrow(/sha256/);
    expect(() => renderFlintlockInstallScript({ ...base, artifactUrl: 'ftp://x/y' })).toThrow(/http/);
  });
});

describe('udhcpc script', () => {
  it('passes shellcheck (POSIX sh, as busybox runs it)', () => {
    expect(shellcheck('udhcpc.sh', renderUdhcpcScript(), 'sh')).toBe('');
  });
});

describe('versions', () => {
  it('points at the upstream release asset and pins no unverified checksum', () => {
    expect(flintlockReleaseUrl('v0.11.0', 'arm64')).toBe(
      'https://github.com/liquidmetal-dev/flintlock/releases/download/v0.11.0/flintlockd_arm64',
    );
    expect(FLINTLOCK_RELEASE.sha256.amd64).toBeNull();
  });
});
