import { RunTools as HttpRunTools } from './sdk/client.js';

export interface LocalOptions {
  /** The data dir: defaults to RUNTOOLS_DATA_DIR, then `./.runtools`. */
  dataDir?: string;
  /** The folder of runtools.config.ts and project templates; defaults to the current directory. */
  projectDir?: string;
}

/**
 * The SDK's client, plus `RunTools.local()`: the engine inside this process, which only the
 * `runtools` package has (it needs SQLite and Docker; `@runtools/sdk` is fetch alone).
 */
export class RunTools extends HttpRunTools {
  /** Runs the engine in this process: no server, no port. Call `close()` when done. */
  static async local(options: LocalOptions = {}): Promise<RunTools> {
    const { createLocalEngine } = await import('./engine/create.js');
    const engine = await createLocalEngine(options);
    return new RunTools(engine, () => engine.close());
  }
}
