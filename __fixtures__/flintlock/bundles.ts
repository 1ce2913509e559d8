import { distBundle } from '../dist.js';

/**
 * The stand-in and client bundles as shipped (dist/flintlockd-standin, dist/flintlock-client): tests
 * run the bundles, not the sources, which also proves the embedded protos load from a bundle.
 */
export function flintlockBundles(): { standin: string; client: string } {
  return { standin: distBundle('flintlockd-standin'), client: distBundle('flintlock-client') };
}
