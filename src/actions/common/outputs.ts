import type { Plan } from '../../env/plan.js';

/** Outputs every action that knows the plan sets. Pure, so it is tested without the toolkit. */
export function planOutputs(plan: Plan): Record<string, string> {
  return {
    'environment-id': plan.id,
    plan: JSON.stringify(plan),
    subnet: plan.network.subnet,
    gateway: plan.network.gateway,
    'vlan-interface': plan.network.vlan.interface,
    'flintlock-endpoints': plan.flintlock.endpoints.join(','),
  };
}
