import * as core from '@actions/core';
import type { Environment } from '../../env/environment.js';
import { planOutputs } from './outputs.js';

/** Sets the plan outputs of a live environment plus its file; adds a summary table with verify results. */
export async function publishEnvironment(
  env: Readonly<Environment>,
  path: string,
  title: string,
): Promise<void> {
  for (const [k, v] of Object.entries(planOutputs(env))) core.setOutput(k, v);
  core.setOutput('env-file', path);
  const rows = env.hosts.map(
    (h) =>
      `| ${h.name} | ${h.role} | ${h.publicIp ?? '–'} | ${h.privateIp} | ${h.role === 'flintlock' ? `\`${h.privateIp}:${env.flintlock.port}\`` : '–'} |`,
  );
  const checks = (env.verify?.results ?? []).map(
    (r) => `| ${r.ok ? '✅' : '❌'} | ${r.name} | ${(r.durationMs / 1000).toFixed(2)}s |`,
  );
  await core.summary
    .addRaw(
      [
        `## ${title}`,
        '',
        `Environment \`${env.id}\` (${env.provider}), subnet \`${env.network.subnet}\`, VLAN ${env.network.vlan.vid}, expires ${env.expiresAt}.`,
        '',
        '| host | role | public | private | flintlock |',
        '| --- | --- | --- | --- | --- |',
        ...rows,
        '',
        ...(checks.length ? ['| | check | time |', '| --- | --- | --- |', ...checks, ''] : []),
      ].join('\n'),
    )
    .write();
}
