import type { Command } from '../command.js';
import { configureCommand } from './configure.js';
import { downCommand } from './down.js';
import { planCommand } from './plan.js';
import { statusCommand } from './status.js';
import { upCommand } from './up.js';
import { verifyCommand } from './verify.js';

/** Every CLI command; each lives in its own file. */
export const commands: Command[] = [
  planCommand,
  upCommand,
  configureCommand,
  verifyCommand,
  statusCommand,
  downCommand,
];
