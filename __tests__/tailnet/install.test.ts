import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localExec } from '../../src/exec/local.js';
import {
  officialTarballUrl,
  parseInstallResult,
  renderTailscaleInstallScript,
  tailscaleArch,
} from '../../src/tailnet/install.js';

/**
 * The install script, run for real with bash against a loopback HTTP server serving a tarball in the
 * official layout (binaries replaced by small scripts that print the version).
 */

const dir = mkdtempSync(join(tmpdir(), 'lm-ts-install-'));
const arch = tailscaleArch(execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());
let server: Server;
let base = '';
let sha = '';

function fakeTarball(version: string): Buffer {
  const stage = join(dir, `stage-${version}`);
  const top = join(stage, `tailscale_${version}_${arch}`);
  mkdirSync(top, { recursive: true });
  for (const b of ['tailscale', 'tailscaled']) {
    writeFileSync(join(top, b), `#!/bin/sh\necho ${version}\necho "  long version: ${version}-test"\n`);
    chmodSync(join(top, b), 0o755);
  }
  execFileSync('tar', ['-czf', join(dir, `t-${version}.tgz`), '-C', stage, `tailscale_${version}_${arch}`]);
  return readFileSync(join(dir, `t-${version}.tgz`));
}

beforeAll(async () => {
  const tgz = fakeTarball('1.100.0');
  sha = createHash('sha256').update(tgz).digest('hex');
  server = createServer((req, res) => {
    if (req.url === `/tailscale_1.100.0_${arch}.tgz`) res.writeHead(200).end(tgz);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function install(binDir: string, sha256: string, version = '1.100.0') {
  const script = renderTailscaleInstallScript({
    version,
    urlTemplate: `${base}/tailscale_${version}_{arch}.tgz`,
    sha256,
    binDir,
  });
  return localExec().run(script, { timeoutMs: 60_000 });
}

describe('tailscale install script', () => {
  it('downloads, verifies and installs; a second run changes nothing', async () => {
    const bin = join(dir, 'bin1');
    const r = await install(bin, sha);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(parseInstallResult(r.stdout)).toBe('installed');
    expect(execFileSync(join(bin, 'tailscale'), ['version'], { encoding: 'utf8' }).split('\n')[0]).toBe(
      '1.100.0',
    );
    const again = await install(bin, sha);
    expect(parseInstallResult(again.stdout)).toBe('unchanged');
  });

  it('refuses a tarball whose sha256 differs and installs nothing', async () => {
    const bin = join(dir, 'bin2');
    const r = await install(bin, 'f'.repeat(64));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/sha256 mismatch .*expected f{64}, got [0-9a-f]{64} \(refusing to install\)/);
    expect(() => readFileSync(join(bin, 'tailscale'))).toThrow();
  });

  it('without a checksum it only accepts an installed client of that version', async () => {
    const r = await install(join(dir, 'bin3'), '');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no sha256sum was given');
    const ok = await install(join(dir, 'bin1'), '');
    expect(parseInstallResult(ok.stdout)).toBe('unchanged');
  });

  it('reports a failed download', async () => {
    const r = await install(join(dir, 'bin4'), sha, '1.2.3');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/download of http:\/\/127\.0\.0\.1:\d+\/tailscale_1\.2\.3_\w+\.tgz failed/);
  });

  it('renders the official URL and rejects bad options', () => {
    expect(officialTarballUrl('1.100.0', 'amd64')).toBe(
      'https://pkgs.tailscale.com/stable/tailscale_1.100.0_amd64.tgz',
    );
    expect(() => renderTailscaleInstallScript({ version: 'latest', urlTemplate: base, sha256: '' })).toThrow(
      /not x\.y\.z/,
    );
    expect(() =>
      renderTailscaleInstallScript({ version: '1.2.3', urlTemplate: base, sha256: 'abc' }),
    ).toThrow(/64 lowercase hex/);
    expect(() => tailscaleArch('sparc')).toThrow(/no Tailscale static build/);
  });
});
