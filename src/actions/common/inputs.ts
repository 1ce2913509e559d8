import * as core from '@actions/core';
import { SPEC_INPUTS } from '../../env/inputs.js';
import type { RawInputs } from '../../env/spec.js';

/** Reads every spec input (the actions/checkout input-helper idea): raw strings, validated by the planner. */
export function readSpecInputs(): RawInputs {
  const raw: RawInputs = {};
  for (const def of SPEC_INPUTS) {
    const v = core.getInput(def.name);
    if (v !== '') raw[def.name] = v;
  }
  return raw;
}
