// The agent loop of @openai/agents 0.20 over a Chat Completions server: one tool, streamed.
import { readFile } from 'node:fs/promises';
import { Agent, OpenAIChatCompletionsModel, run, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';

setTracingDisabled(true);

export async function runLoop({ baseURL, file, maxTurns }) {
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL });
  const agent = new Agent({
    name: 'bench',
    instructions: 'You are a test agent.',
    model: new OpenAIChatCompletionsModel(client, 'gpt-4o'),
    tools: [
      tool({
        name: 'read_file',
        description: 'Read a file',
        parameters: z.object({ path: z.string() }),
        execute: async () => readFile(file, 'utf8'),
      }),
    ],
  });
  const result = await run(agent, 'go', { stream: true, maxTurns });
  for await (const _event of result) {
    // drain the stream, as an application showing it would
  }
  await result.completed;
  return String(result.finalOutput);
}
