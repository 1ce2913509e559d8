import type { EnvironmentFile } from '../env/environment.js';
import type { Check } from '../verify/checks.js';
import { memberNode, tcpConnectFrom } from './join.js';
import { runnerExec } from './join-step.js';
import { findPeer, routeReadiness } from './status.js';

/**
 * verify's tailnet checks, read from the Environment file: the runner is connected, the hub serves
 * the subnet (online, route approved), the route is in the runner's table 52, and every flintlock
 * endpoint accepts a TCP connection from the runner — through the tailnet, the runner's only path.
 * No checks when the environment has no tailnet.
 */
export function tailnetChecks(envFile: EnvironmentFile): Check[] {
  const env = envFile.data;
  const t = env.tailscale;
  if (!t?.runner || !t.hub) return [];
  const exec = runnerExec(t.runner.where, env);
  const node = memberNode(t.runner, exec);
  const subnet = env.network.subnet;
  const hub = t.hub.hostname;
  const checks: Check[] = [
    {
      name: 'tailnet: runner connected',
      async run() {
        const st = await node.status();
        if (st.backendState !== 'Running') throw new Error(`runner backend is ${st.backendState}`);
        return `${t.runner!.hostname} ${st.tailscaleIps.join(', ')} (${t.control}${t.loginServer ? ` ${t.loginServer}` : ''})`;
      },
    },
    {
      name: `tailnet: hub serves ${subnet}`,
      async run() {
        const st = await node.status();
        const r = routeReadiness(st, hub, subnet);
        if (!r.ready) throw new Error(r.reason);
        return `${hub} online, PrimaryRoutes ${findPeer(st, hub)!.primaryRoutes.join(', ')}`;
      },
    },
    {
      name: `tailnet: ${subnet} in the runner's routing table 52`,
      async run() {
        if (!(await node.routeInstalled(subnet))) throw new Error(`ip route show table 52 lacks ${subnet}`);
        return 'present';
      },
    },
  ];
  for (const ep of env.flintlock.endpoints) {
    checks.push({
      name: `tailnet: flintlock ${ep} reachable from the runner`,
      async run() {
        if (!(await tcpConnectFrom(exec, ep))) throw new Error(`TCP connect to ${ep} from the runner failed`);
        return 'TCP connect ok';
      },
    });
  }
  return checks;
}
