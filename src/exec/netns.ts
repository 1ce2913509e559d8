import { spawnCapture } from './spawn.js';
import type { Exec, ExecOptions, ExecResult } from './types.js';

export interface NetnsTarget {
  /** Named network namespace (/run/netns/<name>). */
  netns: string;
  /** Mount namespace to enter as well, e.g. /proc/<pid>/ns/mnt of the host's holder process. */
  mountNsPath?: string;
  label?: string;
}

function prefix(t: NetnsTarget): string[] {
  const argv = ['nsenter', `--net=/run/netns/${t.netns}`];
  if (t.mountNsPath) argv.push(`--mount=${t.mountNsPath}`);
  return argv;
}

/** Runs commands inside a network namespace (and optionally a mount namespace) on this machine. */
export function netnsExec(t: NetnsTarget): Exec {
  const target = `netns ${t.netns}${t.label ? ` (${t.label})` : ''}`;
  const run = (command: string, opts?: ExecOptions): Promise<ExecResult> =>
    spawnCapture([...prefix(t), 'bash', '-c', command], target, opts);
  return {
    target,
    run,
    async upload(content, remotePath, mode = 0o644) {
      // Written from inside the namespaces so a private mount namespace sees the file.
      const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
      const tmp = `${remotePath}.lm-env-tmp`;
      const octal = mode.toString(8);
      const r = await run(
        `mkdir -p "$(dirname ${q(remotePath)})" && (umask 077; cat > ${q(tmp)}) && chmod ${octal} ${q(tmp)} && mv -f ${q(tmp)} ${q(remotePath)}`,
        { input: content },
      );
      if (r.code !== 0) throw new Error(`upload of ${remotePath} to ${target} failed: ${r.stderr.trim()}`);
    },
    async close() {},
  };
}
