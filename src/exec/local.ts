import { mkdir, rename, writeFile, chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import { spawnCapture } from './spawn.js';
import type { Exec, ExecOptions, ExecResult } from './types.js';

/** Runs commands on this machine with bash. */
export function localExec(): Exec {
  return {
    target: 'local',
    run(command: string, opts?: ExecOptions): Promise<ExecResult> {
      return spawnCapture(['bash', '-c', command], 'local', opts);
    },
    async upload(content, remotePath, mode = 0o644) {
      await mkdir(dirname(remotePath), { recursive: true });
      const tmp = `${remotePath}.lm-env-tmp`;
      await writeFile(tmp, content, { mode });
      await chmod(tmp, mode);
      await rename(tmp, remotePath);
    },
    async close() {},
  };
}
