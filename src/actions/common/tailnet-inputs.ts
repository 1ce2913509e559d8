import * as core from '@actions/core';
import { maskingRedactor, readTailnetInputs } from '../../tailnet/action-io.js';
import { envVarOf } from '../../tailnet/join-step.js';

/**
 * Hands the tailnet inputs to the tailnet step of `up`, which reads them like the CLI does
 * (LM_ENV_* variables of this process only); every secret is masked first.
 */
export function passTailnetInputs(): void {
  const raw = readTailnetInputs((n) => core.getInput(n));
  maskingRedactor(raw, (s) => core.setSecret(s));
  for (const [k, v] of Object.entries(raw)) if (v) process.env[envVarOf(k)] = v;
}
