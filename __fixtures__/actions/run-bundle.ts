import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface BundleRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  runnerTemp: string;
  cleanup(): void;
}

/** Parses the GITHUB_OUTPUT / GITHUB_STATE file format (name<<delimiter … delimiter). */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (m) {
      const [, name, delim] = m;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i]);
      out[name] = value.join('\n');
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return out;
}

/**
 * Runs a built action bundle the way the runner does: INPUT_* env, GITHUB_OUTPUT/STATE/STEP_SUMMARY
 * files, RUNNER_TEMP; `state` is fed back as STATE_* (main → post hand-off).
 */
export async function runBundle(
  bundle: string,
  inputs: Record<string, string>,
  opts: {
    state?: Record<string, string>;
    runnerTemp?: string;
    env?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<BundleRun> {
  const work = mkdtempSync(join(tmpdir(), 'lm-env-action-'));
  const runnerTemp = opts.runnerTemp ?? join(work, 'runner-temp');
  const files = { output: join(work, 'output'), state: join(work, 'state'), summary: join(work, 'summary') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ACTIONS: 'true',
    ...opts.env,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(opts.state ?? {})) env[`STATE_${k}`] = v;
  const child = spawn(process.execPath, [resolve(bundle)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const code: number = await new Promise((res) => child.on('close', (c) => res(c ?? 1)));
  clearTimeout(timer);
  return {
    code,
    stdout,
    stderr,
    outputs: parseCommandFile(readFileSync(files.output, 'utf8')),
    state: parseCommandFile(readFileSync(files.state, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    runnerTemp,
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}
