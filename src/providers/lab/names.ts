import { IFNAMSIZ } from '../../env/spec.js';

/**
 * Every name the lab gives a thing, derived from the environment id alone, so `down` can find
 * what an interrupted `up` left without reading anything else. Namespaces are `lm-<id>-<role>`;
 * the one link in the root namespace is `lm<id>-up` (interface names have at most 15 characters).
 */
export interface LabNames {
  /** Prefix of every namespace: "lm-3f9c2a-". */
  nsPrefix: string;
  /** Prefix of every link in the root namespace: "lm3f9c2a-". */
  linkPrefix: string;
  inet: string;
  switch: string;
  runner: string;
  /** Root-namespace end of the veth into inet. */
  rootLink: string;
  /** Name of the inet-side end of the root veth. */
  uplink: string;
  /** Bridge in inet for the public addresses. */
  publicBridge: string;
  host(name: string): string;
  /** Bridge in the switch namespace that is the VLAN's L2 segment. */
  vlanBridge(vid: number): string;
}

export function labNames(envId: string): LabNames {
  if (!/^lm-[a-z0-9]{1,8}$/.test(envId)) throw new Error(`not an lm-env environment id: ${envId}`);
  const short = envId.replace(/^lm-/, '');
  const nsPrefix = `${envId}-`;
  const linkPrefix = `lm${short}-`;
  const names: LabNames = {
    nsPrefix,
    linkPrefix,
    inet: `${nsPrefix}inet`,
    switch: `${nsPrefix}switch`,
    runner: `${nsPrefix}runner`,
    rootLink: `${linkPrefix}up`,
    uplink: 'uplink',
    publicBridge: 'br0',
    host: (name) => `${nsPrefix}${name}`,
    vlanBridge: (vid) => `vlan${vid}`,
  };
  checkIfName(names.rootLink);
  return names;
}

/** Throws when a Linux interface name is too long or contains characters the kernel refuses. */
export function checkIfName(name: string): string {
  if (name.length === 0 || name.length > IFNAMSIZ || /[\s/:]/.test(name) || name === '.' || name === '..') {
    throw new Error(
      `interface name '${name}' is not usable (1-${IFNAMSIZ} characters, no '/', ':' or spaces)`,
    );
  }
  return name;
}

/** The environment id a namespace or root link name belongs to, if it is one of ours. */
export function ownerOfName(name: string): string | undefined {
  const ns = /^(lm-[a-z0-9]{1,8})-[a-z0-9]+$/.exec(name);
  if (ns) return ns[1];
  const link = /^lm([a-z0-9]{1,8})-[a-z]+$/.exec(name);
  return link ? `lm-${link[1]}` : undefined;
}
