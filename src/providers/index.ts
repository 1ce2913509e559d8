import { UserError } from '../env/errors.js';
import type { ProviderName } from '../env/spec.js';
import { labProvider } from './lab/index.js';
import type { Provider } from './types.js';

/** The provider adapters this build has. Others fail before anything is created. */
export function providerFor(name: ProviderName): Provider {
  if (name === 'lab') return labProvider();
  throw new UserError(
    `provider '${name}' is not implemented in this build of lm-env; use --provider lab (network namespaces on this machine)`,
  );
}
