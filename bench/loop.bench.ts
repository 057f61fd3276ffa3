/**
 * The agent loop against its peers (issue 13): a run of 20 tool turns and a last answer over the
 * same fake OpenAI Chat Completions server (a real socket, answering at once), in runtools (local
 * sandbox, the read_file tool), `@openai/agents` 0.20, `ai` 6, and a bare `openai` client loop
 * (the floor). The peers are installed by this bench into a temp folder, never into the package.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { type FakeStep, startFakeOpenAI } from '../test/fakes/openai.js';
import { startHarness } from '../test/helpers/transports.js';
import { type Comparison, interleaved, median, printComparisons } from './lib.js';

const TURNS = 20;
const TRIALS = Number(process.env.BENCH_TRIALS ?? 7);
const PEERS_SRC = path.join(import.meta.dirname, 'peers');
const PEERS_DIR = path.join(tmpdir(), 'runtools-bench-peers');

type PeerLoop = (options: { baseURL: string; file: string; maxTurns: number }) => Promise<string>;

/** Installs the peers' pinned versions into a temp folder (once; later runs reuse it). */
async function installPeers(): Promise<void> {
  mkdirSync(PEERS_DIR, { recursive: true });
  for (const file of ['package.json', 'openai-agents.mjs', 'ai-sdk.mjs'])
    copyFileSync(path.join(PEERS_SRC, file), path.join(PEERS_DIR, file));
  const wanted = (
    JSON.parse(readFileSync(path.join(PEERS_SRC, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    }
  ).dependencies;
  const installed = Object.entries(wanted).every(([name, version]) => {
    const manifest = path.join(PEERS_DIR, 'node_modules', name, 'package.json');
    return (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version === version
    );
  });
  if (installed) return;
  process.stdout.write(`installing the bench peers into ${PEERS_DIR} ...\n`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
      {
        cwd: PEERS_DIR,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('exit', resolve);
    child.on('error', () => resolve(-1));
  });
  if (code !== 0) throw new Error(`npm install of the bench peers in ${PEERS_DIR} failed (exit ${code})`);
}

async function peer(file: string): Promise<PeerLoop> {
  return ((await import(pathToFileURL(path.join(PEERS_DIR, file)).href)) as { runLoop: PeerLoop }).runLoop;
}

/** The floor: the least loop there is, one streamed call per turn with the bare client. */
async function bareLoop(baseURL: string, file: string): Promise<string> {
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL });
  const tools = [
    {
      type: 'function' as const,
      function: {
        name: 'read_file',
        description: 'Read a file',
        parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
      },
    },
  ];
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You are a test agent.' },
    { role: 'user', content: 'go' },
  ];
  while (true) {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, tools, stream: true });
    let text = '';
    const calls: { id: string; name: string; args: string }[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      if (delta?.content) text += delta.content;
      for (const call of delta?.tool_calls ?? []) {
        calls[call.index] ??= { id: '', name: '', args: '' };
        const slot = calls[call.index]!;
        slot.id ||= call.id ?? '';
        slot.name ||= call.function?.name ?? '';
        slot.args += call.function?.arguments ?? '';
      }
    }
    if (calls.length === 0) return text;
    messages.push({
      role: 'assistant',
      content: text || null,
      tool_calls: calls.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: c.args },
      })),
    });
    for (const call of calls) {
      messages.push({ role: 'tool', tool_call_id: call.id, content: await readFile(file, 'utf8') });
    }
  }
}

const script = (): FakeStep[] => [
  ...Array.from({ length: TURNS }, () => ({ toolCalls: [{ name: 'read_file', input: { path: 'a.txt' } }] })),
  { text: 'done' },
];

export async function main(): Promise<void> {
  await installPeers();
  const [agentsLoop, aiLoop] = await Promise.all([peer('openai-agents.mjs'), peer('ai-sdk.mjs')]);
  const fake = await startFakeOpenAI();
  const h = await startHarness('in-process', {
    env: { ...process.env, OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: fake.baseURL },
    parts: { warn: () => {} },
  });
  try {
    const ws = await h.rt.workspaces.create({ id: 'bench-loop' });
    const file = path.join(ws.path, 'a.txt');
    writeFileSync(file, 'hello from a file\n');
    await h.rt.runtimes.create({
      slug: 'loop',
      systemPrompt: 'You are a test agent.',
      model: { provider: 'openai', model: 'gpt-4o' },
      tools: ['read_file'],
      maxTurns: TURNS + 5,
    });
    await h.rt.deployments.create({
      runtimeSlug: 'loop',
      apiSlug: 'loop',
      templateSlug: 'nodejs-20',
      sandbox: 'local',
    });
    const perTurn = (loop: () => Promise<string>) => async () => {
      fake.push(...script());
      const started = performance.now();
      const output = await loop();
      if (output !== 'done') throw new Error(`a bench loop ended with ${JSON.stringify(output)}`);
      return (performance.now() - started) / (TURNS + 1);
    };
    const times = await interleaved(TRIALS, {
      runtools: perTurn(async () => {
        const run = await h.rt.agents.run('loop', {
          message: 'go',
          mounts: [{ workspaceId: 'bench-loop', path: '/workspace' }],
        });
        if (run.status !== 'completed') throw new Error(`bench run ${run.status}: ${run.error}`);
        return run.output ?? '';
      }),
      agents: perTurn(() => agentsLoop({ baseURL: fake.baseURL, file, maxTurns: TURNS + 5 })),
      ai: perTurn(() => aiLoop({ baseURL: fake.baseURL, file, maxTurns: TURNS + 5 })),
      bare: perTurn(() => bareLoop(fake.baseURL, file)),
    });
    const ours = median(times.runtools);
    const rows: Comparison[] = [
      {
        what: 'agent loop, ms per turn: runtools',
        value: ours,
        against: '@openai/agents 0.20',
        base: median(times.agents),
        unit: 'ms',
      },
      {
        what: 'agent loop, ms per turn: runtools',
        value: ours,
        against: 'ai 6 (streamText)',
        base: median(times.ai),
        unit: 'ms',
      },
      {
        what: 'agent loop, ms per turn: runtools',
        value: ours,
        against: 'bare openai client loop',
        base: median(times.bare),
        unit: 'ms',
      },
    ];
    printComparisons(
      `agent loop over a fake OpenAI server (${TURNS + 1} turns, ${TRIALS} interleaved trials)`,
      rows,
    );
  } finally {
    await h.close();
    await fake.close();
  }
}
