import { LocalSandbox } from './local-sandbox.js';
import type { Sandbox, SandboxFactory, SandboxMount, SandboxSpec } from './types.js';

export interface LocalSandboxFactoryOptions {
  /** Where the one warning goes; defaults to stderr. */
  warn?: (message: string) => void;
}

export const LOCAL_SANDBOX_WARNING =
  'runtools: the local sandbox runs agent commands directly on this machine, as you, with no isolation: nothing stops a command from reading or changing any of your files or reaching the network. Use the Docker sandbox for anything you do not fully trust.';

/** Makes LocalSandboxes; warns once per factory that nothing is isolated. */
export class LocalSandboxFactory implements SandboxFactory {
  private warned = false;
  private readonly warn: (message: string) => void;

  constructor(options: LocalSandboxFactoryOptions = {}) {
    this.warn = options.warn ?? ((message) => process.stderr.write(`${message}\n`));
  }

  async create(spec: SandboxSpec): Promise<Sandbox> {
    if (!this.warned) {
      this.warned = true;
      this.warn(LOCAL_SANDBOX_WARNING);
    }
    return new LocalSandbox(spec.mounts, spec.env);
  }
}

/** A sandbox over mounts with no side effects: how the engine reads a finished run's files. */
export function sandboxFromMounts(mounts: SandboxMount[]): LocalSandbox {
  return new LocalSandbox(mounts);
}
