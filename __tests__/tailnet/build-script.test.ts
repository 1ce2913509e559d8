import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The idempotency of scripts/build-tailnet.sh, without building: a cache whose stamp and binaries
// report the pinned versions is accepted without calling Go; anything else goes on to build, which
// here reaches a fake `go` first on PATH (it fails at once: no download, no build).

const SCRIPT = join(process.cwd(), 'scripts/build-tailnet.sh');
const STAMP = 'recipe=2 tailscale=v1.100.0 headscale=v0.29.0';
let dir: string;

function fakeBin(name: string, body: string): void {
  writeFileSync(join(dir, name), `#!/bin/bash\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
}

function run(): { code: number | null; stderr: string } {
  // The fake go shadows any real one (the script also looks in /usr/local/go/bin).
  const r = spawnSync('bash', [SCRIPT], {
    env: { PATH: `${join(dir, 'gobin')}:/usr/sbin:/usr/bin:/sbin:/bin`, LM_ENV_BIN_DIR: dir },
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lm-tailnet-bin-'));
  fakeBin('tailscale', 'echo 1.100.0; echo "  long version: 1.100.0-lm-env"');
  fakeBin('tailscaled', 'echo 1.100.0');
  fakeBin('headscale', 'echo "headscale version dev"');
  writeFileSync(join(dir, '.tailnet-versions'), `${STAMP}\n`);
  mkdirSync(join(dir, 'gobin'));
  writeFileSync(join(dir, 'gobin', 'go'), '#!/bin/bash\necho "FAKE-GO $*" >&2\nexit 1\n');
  chmodSync(join(dir, 'gobin', 'go'), 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('build-tailnet.sh', () => {
  it('does nothing when the cache holds the pinned versions', () => {
    const r = run();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`up to date in ${dir} (${STAMP})`);
    expect(r.stderr).not.toContain('FAKE-GO');
  });

  it('rebuilds when the stamp names other versions', () => {
    writeFileSync(join(dir, '.tailnet-versions'), 'recipe=2 tailscale=v1.98.0 headscale=v0.29.0\n');
    const r = run();
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('FAKE-GO');
  });

  it('rebuilds when a binary does not report the pinned version, whatever the stamp says', () => {
    fakeBin('tailscaled', 'echo 1.98.0');
    expect(run().stderr).toContain('FAKE-GO');
  });

  it('rebuilds when a binary is missing', () => {
    rmSync(join(dir, 'headscale'));
    expect(run().stderr).toContain('FAKE-GO');
    expect(readFileSync(join(dir, '.tailnet-versions'), 'utf8').trim()).toBe(STAMP);
  });
});
