import { type FakeServer, type FakeTurn, type Protocol, startFakeServer } from './fake-server.js';
import { openaiProtocol } from './openai.js';

/** What the prompted fake sees of a Chat Completions request, in plain terms. */
export interface PromptedRequest {
  /** The system message's text. */
  system: string;
  /** The first user message's text (the task). */
  task: string;
  /** Assistant turns so far: 0 on the first call of a conversation. */
  turn: number;
  /** The text of each tool result so far, in order. */
  toolResults: string[];
  body: Record<string, unknown>;
}

/** Decides the next assistant turn from the request: the system prompt, the task, the turn. */
export type Policy = (request: PromptedRequest) => FakeTurn;

/**
 * An OpenAI-compatible server (`provider: 'custom'`, format `openai`) whose answers depend on the
 * request rather than a queue: on the system prompt above all, so that a prompt change changes what
 * the agent does. Many conversations can run at once. Built on fake-server.ts: every answer is
 * rendered by the OpenAI fake's wire format; the step queue is kept topped up with one placeholder.
 */
export async function startPromptedOpenAI(policy: Policy): Promise<FakeServer> {
  let server: FakeServer | undefined;
  const protocol: Protocol = {
    ...openaiProtocol,
    name: 'prompted-openai',
    render: (_placeholder, index, body, path) => {
      server?.push({});
      return openaiProtocol.render(policy(readRequest(body)), index, body, path);
    },
  };
  server = await startFakeServer(protocol, { turns: [{}] });
  return server;
}

type WireMessage = { role: string; content?: unknown };

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (part as { text?: string }).text ?? '').join('');
  return '';
}

function readRequest(body: Record<string, unknown>): PromptedRequest {
  const messages = (body.messages as WireMessage[] | undefined) ?? [];
  return {
    system: messages
      .filter((m) => m.role === 'system' || m.role === 'developer')
      .map((m) => text(m.content))
      .join('\n'),
    task: text(messages.find((m) => m.role === 'user')?.content),
    turn: messages.filter((m) => m.role === 'assistant').length,
    toolResults: messages.filter((m) => m.role === 'tool').map((m) => text(m.content)),
    body,
  };
}
