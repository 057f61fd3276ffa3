import { afterEach, describe, expect, it } from 'vitest';
import { runRequestSchema } from '../../src/api/schemas.js';
import type { ToolChoice } from '../../src/api/types.js';
import { ModelError } from '../../src/models/errors.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { adapterFor, collect, request, TARGETS, type Target, user } from './helpers.js';

const target = (name: string): Target => TARGETS.find((t) => t.name === name)!;

/** What each protocol's request carries for each choice (absent: the field is not sent). */
const WIRE: Array<{ name: string; field: string; map: Record<string, unknown> }> = [
  {
    name: 'custom anthropic-format',
    field: 'tool_choice',
    map: {
      auto: { type: 'auto' },
      any: { type: 'any' },
      required: { type: 'any' },
      none: { type: 'none' },
      bash: { type: 'tool', name: 'bash' },
    },
  },
  {
    name: 'openai',
    field: 'tool_choice',
    map: {
      auto: 'auto',
      any: 'required',
      required: 'required',
      none: 'none',
      bash: { type: 'function', name: 'bash' },
    },
  },
  {
    name: 'custom openai-format',
    field: 'tool_choice',
    map: {
      auto: 'auto',
      any: 'required',
      required: 'required',
      none: 'none',
      bash: { type: 'function', function: { name: 'bash' } },
    },
  },
  {
    name: 'google',
    field: 'toolConfig',
    map: {
      auto: { functionCallingConfig: { mode: 'AUTO' } },
      any: { functionCallingConfig: { mode: 'ANY' } },
      required: { functionCallingConfig: { mode: 'ANY' } },
      none: { functionCallingConfig: { mode: 'NONE' } },
      bash: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['bash'] } },
    },
  },
];

const CHOICES: Array<[string, ToolChoice]> = [
  ['auto', 'auto'],
  ['any', 'any'],
  ['required', 'required'],
  ['none', 'none'],
  ['bash', { tool: 'bash' }],
];

describe.each(WIRE)('toolChoice on the $name wire', ({ name, field, map }) => {
  let fake: FakeServer | undefined;
  afterEach(async () => fake?.close());

  it('maps every choice to the provider field, and sends none without one', async () => {
    const t = target(name);
    fake = await t.start([...CHOICES.map(() => ({ text: 'ok' })), { text: 'ok' }]);
    const adapter = adapterFor(t, fake);
    for (const [, choice] of CHOICES) {
      await collect(
        adapter.stream(request([user('hi')], { toolChoice: choice }), new AbortController().signal),
      );
    }
    await collect(adapter.stream(request([user('hi')]), new AbortController().signal));
    expect(fake.requests.map((sent) => sent.body[field])).toEqual([
      ...CHOICES.map(([key]) => map[key]),
      undefined,
    ]);
  });
});

describe('toolChoice limits', () => {
  it('Anthropic with thinking cannot be forced to call a tool: the call fails with the fix, nothing is sent', async () => {
    const t = target('anthropic');
    const fake = await t.start([{ text: 'never' }]);
    try {
      const error = await collect(
        adapterFor(t, fake).stream(
          request([user('hi')], { toolChoice: 'required' }),
          new AbortController().signal,
        ),
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).message).toMatch(/remove thinkingBudget or toolChoice/);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it('the request schema names the valid choices', () => {
    const parsed = runRequestSchema.safeParse({ message: 'hi', toolChoice: 'always' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(
      /toolChoice is \\"auto\\", \\"required\\" \(or \\"any\\"\), \\"none\\"/,
    );
    expect(runRequestSchema.parse({ message: 'hi', toolChoice: { tool: 'bash' } }).toolChoice).toEqual({
      tool: 'bash',
    });
  });
});
