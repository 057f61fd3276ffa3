import type { RunToolsApi } from '../../src/api/contract.js';
import { createLocalEngine, type LocalEngineOptions } from '../../src/engine/create.js';
import type { Engine } from '../../src/engine/engine.js';
import { RunTools } from '../../src/sdk/client.js';
import { type RunningServer, startServer } from '../../src/server/server.js';
import { tempDir } from './tmp.js';

export const TRANSPORTS = ['in-process', 'http'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

export interface Harness {
  transport: TransportName;
  engine: Engine;
  api: RunToolsApi;
  rt: RunTools;
  dataDir: string;
  projectDir: string;
  /** Set for the http transport. */
  server?: RunningServer;
  close(): Promise<void>;
}

/**
 * A real engine on a temp data dir, reached either in-process or through a real HTTP server on a
 * random loopback port; the same tests run over both.
 */
export async function startHarness(
  transport: TransportName,
  options: Omit<LocalEngineOptions, 'dataDir'> & { projectDir?: string } = {},
): Promise<Harness> {
  const data = tempDir();
  const project = options.projectDir ? undefined : tempDir('runtools-project-');
  const projectDir = options.projectDir ?? project!.dir;
  const engine = await createLocalEngine({ ...options, dataDir: data.dir, projectDir });
  let server: RunningServer | undefined;
  let rt: RunTools;
  if (transport === 'http') {
    server = await startServer({ api: engine, key: 'test-key', port: 0 });
    engine.setBaseUrl(server.url);
    rt = new RunTools({ baseUrl: server.url, apiKey: 'test-key' });
  } else {
    rt = new RunTools(engine);
  }
  return {
    transport,
    engine,
    api: rt.api,
    rt,
    dataDir: data.dir,
    projectDir,
    server,
    async close() {
      await server?.close();
      await engine.close();
      data.cleanup();
      project?.cleanup();
    },
  };
}
