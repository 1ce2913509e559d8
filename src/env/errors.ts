import { flagOf } from './inputs.js';

/** One problem with one input: which field, what value, what is wrong, and how to fix it. */
export interface ValidationIssue {
  field: string;
  value: string;
  problem: string;
  fix: string;
}

export function formatIssue(i: ValidationIssue): string {
  const shown = i.value === '' ? '(empty)' : JSON.stringify(i.value);
  return `${i.field} (${flagOf(i.field)}) = ${shown}: ${i.problem}. Fix: ${i.fix}.`;
}

/** Bad input. Raised before anything is created; the CLI exits 2 on it. */
export class ValidationError extends Error {
  readonly exitCode = 2;
  constructor(readonly issues: ValidationIssue[]) {
    super(
      `invalid input (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join('\n'),
    );
    this.name = 'ValidationError';
  }
}

/** A failure the user can act on (missing binary, not root, bad environment file): message only, no stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
