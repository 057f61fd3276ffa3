import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentRunEvent } from '../../src/api/types.js';
import type { ScriptTurn } from '../../src/models/script-file.js';
import type { Harness } from './transports.js';

/** Writes a scripted-model script into the harness's project and returns its model config. */
export function script(
  h: Harness,
  name: string,
  turns: Partial<ScriptTurn>[],
): { provider: 'scripted'; script: string } {
  writeFileSync(path.join(h.projectDir, `${name}.json`), JSON.stringify({ turns }, null, 2));
  return { provider: 'scripted', script: `./${name}.json` };
}

/** A runtime and a deployment for it, on the local sandbox unless told otherwise. */
export async function deploy(
  h: Harness,
  slug: string,
  turns: Partial<ScriptTurn>[],
  options: {
    sandbox?: 'docker' | 'local';
    templateSlug?: string;
    maxConcurrent?: number;
    timeout?: number;
    secrets?: string[];
    webhookUrl?: string;
    webhookEvents?: ('run.completed' | 'run.failed' | 'run.cancelled' | 'run.timed_out')[];
    maxTurns?: number;
    /** Built-ins, toolsets (`gmail`) or toolset tools (`gmail__send_email`). */
    tools?: string[];
    network?: 'bridge' | 'none';
    /** Tools the deployment holds for approval. */
    approve?: string[];
  } = {},
): Promise<void> {
  await h.rt.runtimes.create({
    slug,
    systemPrompt: 'You are a test agent.',
    model: script(h, slug, turns),
    tools: options.tools ?? ['bash', 'read_file', 'edit_file', 'grep', 'glob'],
    ...(options.maxTurns ? { maxTurns: options.maxTurns } : {}),
  });
  await h.rt.deployments.create({
    runtimeSlug: slug,
    apiSlug: slug,
    templateSlug: options.templateSlug ?? 'nodejs-20',
    sandbox: options.sandbox ?? 'local',
    maxConcurrent: options.maxConcurrent ?? 5,
    timeout: options.timeout ?? 120,
    secrets: options.secrets ?? [],
    ...(options.webhookUrl ? { webhookUrl: options.webhookUrl, webhookEvents: options.webhookEvents } : {}),
    ...(options.network ? { network: options.network } : {}),
    ...(options.approve ? { approve: options.approve } : {}),
  });
}

/** Collects events until `stop` says so (or the stream ends). */
export async function collect(
  events: AsyncIterable<AgentRunEvent>,
  stop: (event: AgentRunEvent, all: AgentRunEvent[]) => boolean = () => false,
): Promise<AgentRunEvent[]> {
  const all: AgentRunEvent[] = [];
  for await (const event of events) {
    all.push(event);
    if (stop(event, all)) break;
  }
  return all;
}

/** Waits until the iterator yields an event matching `match`, returning the events so far. */
export async function until(
  iterator: AsyncIterator<AgentRunEvent>,
  match: (event: AgentRunEvent) => boolean,
  seen: AgentRunEvent[] = [],
): Promise<AgentRunEvent[]> {
  while (true) {
    const next = await iterator.next();
    if (next.done)
      throw new Error(`the stream ended before the awaited event; saw ${seen.map((e) => e.type).join(', ')}`);
    seen.push(next.value);
    if (match(next.value)) return seen;
  }
}

export const types = (events: AgentRunEvent[]) =>
  events.map((e) => (e.type === 'status' ? `status:${e.status}` : e.type));
