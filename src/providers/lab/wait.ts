import { connect } from 'node:net';
import { sleepAbortable } from '../../exec/sleep.js';

export function tcpOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: timeoutMs });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
  });
}

/** Polls `ok` until it holds; fails early when the process it waits for exits. */
export async function waitUntil(
  ok: () => Promise<boolean>,
  timeoutMs: number,
  signal: AbortSignal,
  what: string,
  exited?: Promise<number | null>,
): Promise<void> {
  let exitCode: number | null | undefined;
  let gone = false;
  void exited?.then((c) => {
    gone = true;
    exitCode = c;
  });
  const end = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    signal.throwIfAborted();
    if (await ok()) return;
    if (gone) throw new Error(`${what}: the process exited (code ${exitCode}) before it was ready`);
    if (Date.now() > end) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    await sleepAbortable(Math.min(200, 20 * (i + 1)), signal);
  }
}
