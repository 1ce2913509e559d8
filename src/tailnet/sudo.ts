import type { Exec } from '../exec/types.js';
import { q } from './node.js';

/**
 * tailscaled needs root. On a CI runner lm-env runs as an unprivileged user with passwordless sudo
 * (GitHub-hosted runners): wrap every command in `sudo -n`. As root the Exec is returned unchanged.
 */
export function sudoExec(inner: Exec, isRoot = process.getuid?.() === 0): Exec {
  if (isRoot) return inner;
  return {
    target: `${inner.target} (sudo)`,
    run: (command, opts) => inner.run(`sudo -n bash -c ${q(command)}`, opts),
    async upload(content, remotePath, mode = 0o644) {
      const tmp = `${remotePath}.lm-env-tmp`;
      const r = await inner.run(
        `sudo -n bash -c ${q(`mkdir -p "$(dirname ${q(remotePath)})" && (umask 077; cat > ${q(tmp)}) && chmod ${mode.toString(8)} ${q(tmp)} && mv -f ${q(tmp)} ${q(remotePath)}`)}`,
        { input: content },
      );
      if (r.code !== 0) throw new Error(`upload of ${remotePath} (sudo) failed: ${r.stderr.trim()}`);
    },
    close: () => inner.close(),
  };
}
