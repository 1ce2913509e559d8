import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localExec } from '../../src/exec/local.js';
import { renderHostScript } from '../../src/hostconfig/render.js';
import { parseThinpool, thinpoolName, thinpoolSection } from '../../src/hostconfig/thinpool.js';
import { testPlan } from '../../__fixtures__/hostconfig/plans.js';

const dir = mkdtempSync('/tmp/lm-thinpool-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('thinpool setting', () => {
  test('parses none, loop and a disk; rejects anything else', () => {
    expect(parseThinpool('none')).toBe('none');
    expect(parseThinpool('loop')).toEqual({ kind: 'loop' });
    expect(parseThinpool('/dev/nvme1n1')).toEqual({ kind: 'direct-lvm', device: '/dev/nvme1n1' });
    expect(parseThinpool('sdb')).toBeUndefined();
    expect(parseThinpool('/dev/../etc/passwd')).toBeUndefined();
    expect(parseThinpool('/dev/sdb; rm -rf /')).toBeUndefined();
  });
  test('pool names are what containerd’s devmapper pool_name must say', () => {
    expect(thinpoolName({ kind: 'loop' })).toBe('flintlock-dev-thinpool');
    expect(thinpoolName({ kind: 'direct-lvm', device: '/dev/sdb' })).toBe('flintlock-thinpool');
  });
});

describe('thinpool renderers', () => {
  const lvm = thinpoolSection({ kind: 'direct-lvm', device: '/dev/sdb' }).body;
  const loop = thinpoolSection({ kind: 'loop', sizeGb: 50 }).body;

  test('direct-lvm: PV, VG, 95%/1% LVs converted to a thin pool, autoextend profile; never wipes a used disk', () => {
    expect(lvm).toContain("TP_DEV='/dev/sdb'");
    expect(lvm).toContain('pvcreate "$TP_DEV"');
    expect(lvm).toContain('vgcreate "$TP_VG" "$TP_DEV"');
    expect(lvm).toContain('-n thinpool "$TP_VG" -l 95%VG');
    expect(lvm).toContain('-n thinpoolmeta "$TP_VG" -l 1%VG');
    expect(lvm).toContain('--thinpool "$TP_VG/thinpool" --poolmetadata "$TP_VG/thinpoolmeta"');
    expect(lvm).toContain('thin_pool_autoextend_threshold=80');
    expect(lvm).toMatch(/holds a filesystem or partitions; refusing to wipe it/);
    // idempotent: an existing pool is left alone
    expect(lvm.indexOf('if lvs "$TP_VG/thinpool"')).toBeLessThan(lvm.indexOf('pvcreate'));
  });

  test('loop: sparse data/meta files on loop devices, a dm thin-pool, reused when present', () => {
    expect(loop).toContain('truncate -s 50G "$TP_DIR/data"');
    expect(loop).toContain('truncate -s 5G "$TP_DIR/meta"');
    expect(loop).toContain('losetup --output NAME --noheadings --associated');
    expect(loop).toContain('thin-pool $tp_meta $tp_data 128 32768 1 skip_block_zeroing');
    expect(loop.indexOf('dmsetup status "$TP_NAME"')).toBeLessThan(loop.indexOf('dmsetup create'));
  });

  test('a flintlock host script with either pool passes shellcheck', async () => {
    const plan = testPlan();
    const host = plan.hosts[1];
    const files = ['lvm', 'loop'].map((k) => {
      const section = thinpoolSection(
        k === 'loop' ? { kind: 'loop' } : { kind: 'direct-lvm', device: '/dev/sdb' },
      );
      const p = join(dir, `${k}.sh`);
      writeFileSync(p, renderHostScript(plan, host, { sections: [section] }).script);
      return p;
    });
    const r = await localExec().run(`shellcheck --shell=bash --severity=style ${files.join(' ')}`);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 60_000);
});
