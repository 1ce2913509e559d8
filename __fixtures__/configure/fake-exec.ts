import type { Exec, ExecOptions, ExecResult } from '../../src/exec/types.js';

/** Records calls and answers run() with a scripted result (optionally streaming it). */
export class FakeExec implements Exec {
  uploads: Array<{ path: string; content: string; mode?: number }> = [];
  runs: string[] = [];
  closed = 0;
  constructor(
    readonly target: string,
    private answer: (command: string) => ExecResult | Error,
  ) {}

  async run(command: string, opts?: ExecOptions): Promise<ExecResult> {
    this.runs.push(command);
    const a = this.answer(command);
    if (a instanceof Error) throw a;
    // stream in odd-sized chunks so line splitting is exercised
    for (let i = 0; i < a.stdout.length; i += 7) opts?.onStdout?.(a.stdout.slice(i, i + 7));
    if (a.stderr) opts?.onStderr?.(a.stderr);
    return a;
  }

  async upload(content: string | Buffer, remotePath: string, mode?: number): Promise<void> {
    this.uploads.push({ path: remotePath, content: content.toString(), mode });
  }

  async close(): Promise<void> {
    this.closed++;
  }
}
