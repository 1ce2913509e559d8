#!/usr/bin/env node
// Time from "join starts" to "every flintlock endpoint reachable from the runner through the tailnet"
// in the lab, as `lm-env up` measures it (the tailnet step records it as tailscale.joinMs in the
// Environment file); up and down wall times alongside.
// Usage (root): npm run build && node bench/tailnet-join.mjs [--runs N] [--hosts N] [--cli dist/cli/index.js]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    hosts: { type: 'string', default: '2' },
    cli: { type: 'string', default: 'dist/cli/index.js' },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'lm-bench-tailnet-'));

function lmEnv(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [values.cli, ...args], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`lm-env ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return { ms, err: r.stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const join_ = [];
try {
  for (let i = 0; i < Number(values.runs); i++) {
    const env = join(dir, `e${i}.json`);
    const up = lmEnv(['up', '--provider', 'lab', '--hosts', values.hosts, '--env', env]);
    const t = JSON.parse(readFileSync(env, 'utf8')).tailscale;
    if (t?.routeStatus !== 'live') throw new Error(`run ${i}: tailnet not live (up included no tailnet?)`);
    join_.push(t.joinMs);
    const d = lmEnv(['down', '--env', env]);
    console.log(
      `run ${i + 1}: join→reachable ${t.joinMs} ms (up ${up.ms.toFixed(0)} ms, down ${d.ms.toFixed(0)} ms)`,
    );
  }
  console.log(
    `lab, ${values.hosts} hosts, ${values.runs} runs: join→all endpoints reachable median ${median(join_)} ms ` +
      `(min ${Math.min(...join_)}, max ${Math.max(...join_)})`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
