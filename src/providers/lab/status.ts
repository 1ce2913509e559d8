import { existsSync } from 'node:fs';
import type { Environment, Resource } from '../../env/environment.js';
import type { ResourceState } from '../types.js';
import { isAlive } from './procs.js';
import { trySys } from './sys.js';

/** Whether one recorded lab resource exists right now. */
export async function isPresent(r: Resource): Promise<boolean> {
  switch (r.kind) {
    case 'netns':
      return existsSync(`/run/netns/${r.id}`);
    case 'link': {
      const ns = String(r.meta?.netns ?? '');
      if (!ns) return existsSync(`/sys/class/net/${r.id}`);
      if (!existsSync(`/run/netns/${ns}`)) return false;
      return (await trySys(['ip', '-n', ns, 'link', 'show', 'dev', r.name ?? r.id.split(':')[1]])).code === 0;
    }
    case 'process':
    case 'mount':
      return isAlive({ pid: Number(r.id), startTime: Number(r.meta?.startTime) });
    case 'file':
      return existsSync(r.id);
    default:
      return false;
  }
}

export async function labStatus(env: Readonly<Environment>): Promise<ResourceState[]> {
  return Promise.all(
    env.resources.map(async (resource) => ({ resource, present: await isPresent(resource) })),
  );
}
