import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { renderActionYml, updateReadmeTables } from '../../src/actions/common/action-yml.js';
import { ACTIONS } from '../../src/actions/common/definitions.js';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

const fresh = mkdtempSync(join(tmpdir(), 'lm-env-dist-'));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe('dist/ is the build of src/', () => {
  test('a fresh build is byte-identical to the committed dist/ (run npm run build and commit dist/)', () => {
    execFileSync(process.execPath, ['scripts/build.mjs', fresh], { stdio: 'pipe' });
    const want = listFiles(fresh);
    expect(listFiles('dist')).toEqual(want);
    for (const f of want) {
      const same = readFileSync(join(fresh, f)).equals(readFileSync(join('dist', f)));
      if (!same) throw new Error(`dist/${f} is stale: run 'npm run build' and commit dist/`);
    }
  }, 300_000);
});

describe('action.yml files', () => {
  test.each(ACTIONS.map((a) => [a.dir, a] as const))(
    '%s/action.yml is generated from the definitions',
    (dir, a) => {
      const text = readFileSync(join(dir, 'action.yml'), 'utf8');
      expect(text).toBe(renderActionYml(a));
      const doc = parse(text);
      expect(doc.runs.using).toBe('node24');
      // the bundle it points at exists
      statSync(join(dir, doc.runs.main));
      if (doc.runs.post) statSync(join(dir, doc.runs.post));
    },
  );

  test('the README tables of every action are current (node scripts/gen-actions.mjs)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(updateReadmeTables(readme, ACTIONS)).toBe(readme);
    for (const a of ACTIONS) {
      expect(readme).toContain(`<!-- BEGIN action:${a.dir} -->`);
      for (const i of a.inputs) expect(readme).toContain(`| \`${i.name}\` |`);
    }
  });
});

describe('lm-env binary', () => {
  test('package.json bin points at the executable CLI bundle', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const bin = pkg.bin['lm-env'];
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  test('npx lm-env plan prints the original plan, and --json matches it field by field', () => {
    const text = execFileSync('npx', ['--no-install', 'lm-env', 'plan', '--name', 'demo'], {
      encoding: 'utf8',
    });
    const json = JSON.parse(
      execFileSync('npx', ['--no-install', 'lm-env', 'plan', '--name', 'demo', '--json'], {
        encoding: 'utf8',
      }),
    );
    expect(json.id).toBe('lm-demo');
    expect(text).toContain(`Environment ${json.id}`);
    expect(text).toContain(`subnet         ${json.network.subnet}`);
    expect(text).toContain(`gateway (hub)  ${json.network.gateway}`);
    expect(text).toContain(`DHCP pool      ${json.network.dhcpRange.start} – ${json.network.dhcpRange.end}`);
    for (const h of json.hosts)
      expect(text).toMatch(new RegExp(`${h.name}\\s+${h.role}\\s+${h.privateIp.replace(/\./g, '\\.')}\\s`));
    expect(json.network.subnet).toBe('192.168.1.0/25');
    expect(json.hosts.map((h: { privateIp: string }) => h.privateIp)).toEqual([
      '192.168.1.2',
      '192.168.1.3',
      '192.168.1.4',
    ]);
  }, 60_000);
});
