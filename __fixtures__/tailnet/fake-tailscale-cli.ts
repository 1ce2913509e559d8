import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Stand-ins for the tailscale and tailscaled binaries, as bash scripts in a temp dir, to test the
 * CLI driving without a control server: they record their arguments, copy the key file they are
 * pointed at (and its mode), and behave as `<dir>/up-mode` says: ok | fail | hang (ignores its
 * --timeout and sleeps, with a child process, as tailscale/github-action#50 saw).
 */

export interface FakeCli {
  dir: string;
  tailscale: string;
  tailscaled: string;
  setUpMode(mode: 'ok' | 'fail' | 'hang'): void;
  /** Status JSON `tailscale status --json` prints once `up` succeeded. */
  setRunningStatus(json: unknown): void;
}

const TAILSCALE = `#!/bin/bash
D="$(dirname "$0")"
printf '%s\\n' "$*" >> "$D/calls.log"
for a in "$@"; do
  case "$a" in
    --auth-key=file:*) f="\${a#--auth-key=file:}"; cat "$f" > "$D/seen-key"; stat -c %a "$f" > "$D/key-mode" ;;
  esac
done
case " $* " in
  *" up "*)
    mode="$(cat "$D/up-mode" 2>/dev/null || echo ok)"
    if [ "$mode" = hang ]; then
      echo $$ > "$D/up.pid"
      sleep 1000 &
      echo $! > "$D/child.pid"
      wait
      exit 0
    fi
    if [ "$mode" = fail ]; then echo "backend error: invalid key: unable to validate API key" >&2; exit 1; fi
    cp "$D/running.json" "$D/status.json"
    exit 0 ;;
  *" status "*)
    if [ -f "$D/status.json" ]; then cat "$D/status.json"; else echo '{"BackendState":"NeedsLogin","Peer":null}'; fi
    exit 0 ;;
  *" logout "*) rm -f "$D/status.json"; exit 0 ;;
  *) exit 0 ;;
esac
`;

const TAILSCALED = `#!/bin/bash
D="$(dirname "$0")"
printf '%s\\n' "$*" >> "$D/daemon-calls.log"
env | grep -E '^TS_' | sort > "$D/daemon-env"
case " $* " in *" --cleanup "*) exit 0 ;; esac
exec sleep 1000
`;

export function makeFakeCli(): FakeCli {
  const dir = mkdtempSync(join(tmpdir(), 'lm-tailnet-cli-'));
  const tailscale = join(dir, 'tailscale');
  const tailscaled = join(dir, 'tailscaled');
  writeFileSync(tailscale, TAILSCALE);
  writeFileSync(tailscaled, TAILSCALED);
  chmodSync(tailscale, 0o755);
  chmodSync(tailscaled, 0o755);
  writeFileSync(join(dir, 'running.json'), JSON.stringify({ BackendState: 'Running', Peer: {} }));
  return {
    dir,
    tailscale,
    tailscaled,
    setUpMode: (mode) => writeFileSync(join(dir, 'up-mode'), mode),
    setRunningStatus: (json) => writeFileSync(join(dir, 'running.json'), JSON.stringify(json)),
  };
}
