/** One verification: a name, pass/fail, how long it took, and what was seen. */
export interface CheckResult {
  name: string;
  ok: boolean;
  durationMs: number;
  detail: string;
}

export interface Check {
  name: string;
  run(signal?: AbortSignal): Promise<string>;
}

/** Runs checks one after another; a throwing check fails with its message, the rest still run. */
export async function runChecks(
  checks: Check[],
  onResult?: (r: CheckResult) => void,
  signal?: AbortSignal,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const c of checks) {
    if (signal?.aborted) break;
    const started = Date.now();
    let r: CheckResult;
    try {
      const detail = await c.run(signal);
      r = { name: c.name, ok: true, durationMs: Date.now() - started, detail };
    } catch (e) {
      r = { name: c.name, ok: false, durationMs: Date.now() - started, detail: (e as Error).message };
    }
    results.push(r);
    onResult?.(r);
  }
  return results;
}

export function formatCheck(r: CheckResult): string {
  return `${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${(r.durationMs / 1000).toFixed(2)}s)  ${r.detail}`;
}

export function summarize(results: CheckResult[]): string {
  const failed = results.filter((r) => !r.ok).length;
  return `${results.length - failed} passed, ${failed} failed`;
}
