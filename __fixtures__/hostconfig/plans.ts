import { planFromRaw, type Plan } from '../../src/env/plan.js';
import type { RawInputs } from '../../src/env/spec.js';

/** A plan from raw inputs with a fixed id and clock, for renderer tests. */
export function testPlan(raw: RawInputs = {}, id = 'lm-test01'): Plan {
  return planFromRaw(raw, { id, now: new Date('2026-01-01T00:00:00Z') });
}
