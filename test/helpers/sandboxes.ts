import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DockerSandboxFactory } from '../../src/sandbox/docker-factory.js';
import { LocalSandbox } from '../../src/sandbox/local-sandbox.js';
import { TemplateRegistry } from '../../src/sandbox/templates.js';
import type { Sandbox, SandboxSpec } from '../../src/sandbox/types.js';
import type { ToolContext, ToolEmitted } from '../../tools/types.js';
import { defaultLimits, SHIPPED_TEMPLATES, tempWorkspace } from './docker.js';

export interface SandboxFixture {
  sandbox: Sandbox;
  workspace: string;
  /** Writes a file in the workspace from the host. */
  put(rel: string, content: string | Buffer): void;
  close(): Promise<void>;
}

export const shippedTemplates = () => new TemplateRegistry([SHIPPED_TEMPLATES]);

/** A run-like spec over a fresh workspace, labelled so leftover containers can be found. */
export function specFor(workspace: string, overrides: Partial<SandboxSpec> = {}): SandboxSpec {
  return {
    runId: `test-${path.basename(workspace)}`,
    template: 'nodejs-20',
    mounts: [{ hostPath: workspace, containerPath: '/workspace', readOnly: false }],
    env: {},
    network: 'bridge',
    limits: defaultLimits,
    ...overrides,
  };
}

export async function openSandbox(
  kind: 'docker' | 'local',
  overrides: Partial<SandboxSpec> = {},
): Promise<SandboxFixture> {
  const ws = tempWorkspace();
  const spec = specFor(ws.dir, overrides);
  const sandbox =
    kind === 'docker'
      ? await new DockerSandboxFactory({ templates: shippedTemplates() }).create(spec)
      : new LocalSandbox(spec.mounts, spec.env);
  return {
    sandbox,
    workspace: ws.dir,
    put(rel, content) {
      writeFileSync(path.join(ws.dir, rel), content);
    },
    async close() {
      await sandbox.dispose();
      ws.cleanup();
    },
  };
}

/** A tool context over a sandbox, recording what tools emit. */
export function toolContext(
  sandbox: Sandbox,
  options: { signal?: AbortSignal; settings?: ToolContext['settings']; runId?: string } = {},
): ToolContext & { emitted: ToolEmitted[] } {
  const emitted: ToolEmitted[] = [];
  return {
    runId: options.runId ?? 'run_test',
    sandbox,
    roots: ['/workspace'],
    signal: options.signal ?? new AbortController().signal,
    emit: (event) => emitted.push(event),
    settings: options.settings ?? { env: {} },
    state: new Map(),
    emitted,
  };
}
