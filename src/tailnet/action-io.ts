import type { JoinResult } from './join-step.js';
import { Redactor } from './redact.js';
import { TAILNET_INPUTS } from './inputs.js';
export { JOIN_OUTPUTS } from './inputs.js';
import { tailnetSecrets, type RawTailnetInputs } from './settings.js';

/**
 * What the join-tailscale action reads and writes, apart from the toolkit calls (pure, testable):
 * raw inputs by name, a redactor that also masks every secret in the job log as it becomes known,
 * and the outputs of a join.
 */

export function readTailnetInputs(getInput: (name: string) => string): RawTailnetInputs {
  const raw: RawTailnetInputs = {};
  for (const i of TAILNET_INPUTS) {
    const v = getInput(i.name);
    if (v !== '') raw[i.name] = v;
  }
  return raw;
}

/** A Redactor that hands every secret to `mask` (core.setSecret) the moment it is added. */
export function maskingRedactor(raw: RawTailnetInputs, mask: (secret: string) => void): Redactor {
  const masked = new Set<string>();
  const r = new (class extends Redactor {
    override add(secret: string): void {
      if (secret && !masked.has(secret)) {
        masked.add(secret);
        mask(secret);
      }
      super.add(secret);
    }
  })();
  for (const s of tailnetSecrets(raw)) r.add(s);
  return r;
}

export function joinOutputs(r: JoinResult): Record<string, string> {
  return {
    'tailnet-ip': r.runnerIp ?? '',
    'node-id': r.runnerNodeId ?? '',
    'hub-node-id': r.hubNodeId ?? '',
    'route-status': r.routeStatus,
    'join-seconds': (r.joinMs / 1000).toFixed(1),
  };
}
