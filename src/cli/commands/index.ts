import type { Command } from '../command.js';
import { planCommand } from './plan.js';

/** Every CLI command; each lives in its own file. */
export const commands: Command[] = [planCommand];
