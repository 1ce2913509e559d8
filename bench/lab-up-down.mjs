#!/usr/bin/env node
// Wall time of `lm-env up` and `lm-env down` (lab provider) for 2 and 4 hosts, using the built CLI:
// provision only (--until provision), and provision + configure + verify (--tailscale off).
// Usage (root): npm run build && node bench/lab-up-down.mjs [--runs N] [--cli dist/cli/index.js]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, cli: { type: 'string', default: 'dist/cli/index.js' } },
});
const runs = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), 'lm-bench-'));

function timed(args) {
  const t = process.hrtime.bigint();
  // --env rather than --env-file: Node 20 would take --env-file for itself.
  const r = spawnSync(process.execPath, [values.cli, ...args], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`lm-env ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
try {
  for (const [label, extra] of [
    ['provision', ['--until', 'provision']],
    ['provision+configure+verify', ['--tailscale', 'off']],
  ]) {
    for (const hosts of [2, 4]) {
      const up = [];
      const down = [];
      for (let i = 0; i < runs; i++) {
        const env = join(dir, `bench-${hosts}-${i}.json`);
        up.push(timed(['up', '--provider', 'lab', '--hosts', String(hosts), ...extra, '--env', env]));
        down.push(timed(['down', '--env', env]));
      }
      rows.push({ label, hosts, up, down });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const f = (ms) => `${(ms / 1000).toFixed(2)}s`;
console.log(`lab up/down wall time, ${runs} run(s) each (median, min-max):`);
for (const r of rows) {
  console.log(
    `  ${r.label.padEnd(27)} hosts=${r.hosts} (+hub): up ${f(median(r.up))} (${f(Math.min(...r.up))}-${f(Math.max(...r.up))}), ` +
      `down ${f(median(r.down))} (${f(Math.min(...r.down))}-${f(Math.max(...r.down))})`,
  );
}
