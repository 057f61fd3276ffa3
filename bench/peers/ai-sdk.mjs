// The agent loop of the AI SDK (ai 6) over a Chat Completions server: one tool, streamed.
import { readFile } from 'node:fs/promises';
import { createOpenAI } from '@ai-sdk/openai';
import { stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';

export async function runLoop({ baseURL, file, maxTurns }) {
  const provider = createOpenAI({ apiKey: 'sk-bench', baseURL });
  const result = streamText({
    model: provider.chat('gpt-4o'),
    system: 'You are a test agent.',
    prompt: 'go',
    tools: {
      read_file: tool({
        description: 'Read a file',
        inputSchema: z.object({ path: z.string() }),
        execute: async () => readFile(file, 'utf8'),
      }),
    },
    stopWhen: stepCountIs(maxTurns),
  });
  for await (const _part of result.fullStream) {
    // drain the stream, as an application showing it would
  }
  return await result.text;
}
