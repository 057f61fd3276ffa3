import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ModelError } from './errors.js';

const ERROR_KINDS = [
  'rate_limit',
  'overloaded',
  'server',
  'bad_request',
  'auth',
  'network',
  'stream',
] as const;

const scriptToolCall = z.strictObject({
  /** Defaults to `call_<turn>_<index>`. */
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()).default({}),
});

const scriptUsage = z.strictObject({
  inputTokens: z.number().int().nonnegative().default(0),
  outputTokens: z.number().int().nonnegative().default(0),
  cacheReadTokens: z.number().int().nonnegative().default(0),
  cacheWriteTokens: z.number().int().nonnegative().default(0),
  reasoningTokens: z.number().int().nonnegative().default(0),
});

const scriptTurn = z
  .strictObject({
    thinking: z.string().optional(),
    text: z.string().optional(),
    toolCalls: z.array(scriptToolCall).optional(),
    delayMs: z.number().int().nonnegative().max(600_000).optional(),
    usage: scriptUsage.optional(),
    error: z.strictObject({ kind: z.enum(ERROR_KINDS), message: z.string().optional() }).optional(),
  })
  .refine(
    (turn) => turn.error !== undefined || turn.text !== undefined || (turn.toolCalls?.length ?? 0) > 0,
    {
      message: 'a turn needs text, toolCalls or error',
    },
  );

export const scriptSchema = z.strictObject({
  turns: z.array(scriptTurn).min(1, 'a script needs at least one turn'),
});

export type Script = z.infer<typeof scriptSchema>;
export type ScriptTurn = Script['turns'][number];

/**
 * Reads and validates a script file. Every problem names the file and, for a schema problem, the field
 * (`turns[1].toolCalls[0].name`), since people write these by hand.
 */
export function loadScript(script: string, baseDir: string): { path: string; script: Script } {
  const path = isAbsolute(script) ? script : resolve(baseDir, script);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : String(error);
    throw new ModelError('config', `scripted model: script file ${path} ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelError('config', `scripted model: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = scriptSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`);
    throw new ModelError('config', `scripted model: ${path} is not a valid script: ${problems.join('; ')}`);
  }
  return { path, script: parsed.data };
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
