import { distBundle } from '../dist.js';

/** The CLI bundle to spawn: $LM_ENV_CLI when set, else the committed dist/cli/index.js. */
export function builtCli(): { path: string } {
  return { path: process.env.LM_ENV_CLI ?? distBundle('cli') };
}
