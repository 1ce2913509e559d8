import type { CommandOption } from './args.js';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Aborted on SIGINT/SIGTERM: long commands stop cleanly and leave the Environment file complete. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  takesSpec: boolean;
  options: CommandOption[];
  run(
    args: { spec: Record<string, string | undefined>; options: Record<string, string | boolean | undefined> },
    io: CliIO,
  ): Promise<number>;
}
