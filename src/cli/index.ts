import { runCli } from './main.js';

// Entry point of the `lm-env` binary: wires process streams and signals to runCli.
const controller = new AbortController();
let signals = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    signals += 1;
    if (signals > 1) process.exit(130);
    process.stderr.write(
      `\nlm-env: ${sig} received, stopping (the Environment file lists everything created so far)\n`,
    );
    controller.abort(new Error(`interrupted by ${sig}`));
  });
}

const code = await runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  signal: controller.signal,
});
process.exitCode = code;
