import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { tempDir } from '../helpers/tmp.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Writes files into a fresh folder and returns the config path. */
function projectWith(files: Record<string, string>): string {
  const tmp = tempDir('runtools-config-');
  cleanups.push(tmp.cleanup);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(tmp.dir, rel)), { recursive: true });
    writeFileSync(path.join(tmp.dir, rel), content);
  }
  return path.join(tmp.dir, 'runtools.config.ts');
}

const config = (body: string) =>
  `import { defineConfig } from 'runtools/config';\nexport default defineConfig(${body});\n`;

async function loadError(file: string): Promise<ConfigError> {
  const error = await loadConfig(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loading runtools.config.ts', () => {
  it('loads TypeScript with no build step, applies the API defaults and reads prompt files', async () => {
    const file = projectWith({
      'runtools.config.ts': `import { defineConfig } from 'runtools/config';
const tools = ['bash', 'read_file'] as const satisfies readonly string[];
export default defineConfig({
  runtimes: [
    { slug: 'a', model: 'claude-opus-4-5', systemPrompt: { file: './prompts/a.md' }, tools: [...tools] },
    { slug: 'b', model: { provider: 'scripted', script: './b.json' }, systemPrompt: 'inline prompt' },
  ],
  deployments: [{ apiSlug: 'a-bot', runtimeSlug: 'a', templateSlug: 'base' }],
  workspaces: [{ id: 'libs', path: './libs' }, { id: 'scratch' }],
  sandbox: 'local',
});
`,
      'prompts/a.md': 'You are A.\nBe brief.\n',
    });
    const loaded = await loadConfig(file);
    expect(loaded.runtimes.map((r) => [r.slug, r.systemPrompt, r.tools, r.maxTurns])).toEqual([
      ['a', 'You are A.\nBe brief.\n', ['bash', 'read_file'], 50],
      ['b', 'inline prompt', [], 50],
    ]);
    expect(loaded.deployments[0]).toMatchObject({
      apiSlug: 'a-bot',
      maxConcurrent: 5,
      timeout: 600,
      secrets: [],
    });
    expect(loaded.workspaces).toEqual([
      { id: 'libs', path: path.join(path.dirname(file), 'libs') },
      { id: 'scratch' },
    ]);
    expect(loaded.sandbox).toBe('local');
    expect(loaded.files).toEqual([file, path.join(path.dirname(file), 'prompts/a.md')]);
  });

  it('accepts a named `config` export', async () => {
    const file = projectWith({
      'runtools.config.ts': `export const config = { runtimes: [{ slug: 'x', model: 'gpt-5.2' }] };\n`,
    });
    expect((await loadConfig(file)).runtimes[0]?.slug).toBe('x');
  });

  it('sees an edit at once (nothing is cached between loads)', async () => {
    const file = projectWith({
      'runtools.config.ts': config(`{ runtimes: [{ slug: 'x', model: 'gpt-5.2' }] }`),
    });
    await loadConfig(file);
    writeFileSync(file, config(`{ runtimes: [{ slug: 'y', model: 'gpt-5.2' }] }`));
    expect((await loadConfig(file)).runtimes[0]?.slug).toBe('y');
  });

  it('a missing prompt file names the file, the field, where it looked and the fix', async () => {
    const file = projectWith({
      'runtools.config.ts': config(
        `{ runtimes: [{ slug: 'x', model: 'gpt-5.2', systemPrompt: { file: './prompts/nope.md' } }] }`,
      ),
    });
    const error = await loadError(file);
    expect(error.problems).toEqual([
      {
        field: 'runtimes[0].systemPrompt.file',
        message: expect.stringMatching(
          /"\.\/prompts\/nope\.md" does not exist \(looked for .*prompts\/nope\.md\); create it or fix the path/,
        ),
      },
    ]);
    expect(error.message).toContain('runtools.config.ts');
  });

  it('schema problems name each field with what to do', async () => {
    const file = projectWith({
      'runtools.config.ts': `export default {
  runtimes: [{ slug: 'Bad Slug', model: 'claude-opus-4-5', tools: ['bash', 'gmial'] }, { slug: 'ok', model: 'llama3' }],
  deployments: [{ apiSlug: 'd', runtimeSlug: 'ok', templateSlug: 'base', maxConcurrent: 0, colour: 'red' }],
  sandbox: 'vm',
};
`,
    });
    const error = await loadError(file);
    const byField = Object.fromEntries(error.problems.map((p) => [p.field, p.message]));
    expect(byField['runtimes[0].slug']).toMatch(/use lowercase letters, digits and single dashes/);
    expect(byField['deployments[0].maxConcurrent']).toMatch(/maxConcurrent must be at least 1/);
    expect(byField['deployments[0]']).toMatch(/unknown field "colour"; check the spelling or remove it/);
    expect(byField.sandbox).toMatch(/sandbox is "docker" or "local"/);
    expect(error.message).toMatch(/^runtools\.config\.ts is not valid:|is not valid:/);
  });

  it('an unknown model name is caught with the naming rule', async () => {
    const file = projectWith({
      'runtools.config.ts': config(`{ runtimes: [{ slug: 'x', model: 'llama3' }] }`),
    });
    const [problem] = (await loadError(file)).problems;
    expect(problem).toEqual({
      field: 'runtimes[0].model',
      message: expect.stringMatching(/unknown model "llama3": names start with claude-/),
    });
  });

  it('a missing required field says to add it', async () => {
    const file = projectWith({ 'runtools.config.ts': config(`{ runtimes: [{ slug: 'x' }] } as never`) });
    const [problem] = (await loadError(file)).problems;
    expect(problem?.field).toBe('runtimes[0].model');
    expect(problem?.message).toMatch(/is required: add model/);
  });

  it('duplicate slugs name both entries', async () => {
    const file = projectWith({
      'runtools.config.ts': config(
        `{ runtimes: [{ slug: 'x', model: 'gpt-5.2' }, { slug: 'x', model: 'gpt-5.2' }] }`,
      ),
    });
    const [problem] = (await loadError(file)).problems;
    expect(problem).toEqual({
      field: 'runtimes[1].slug',
      message: expect.stringMatching(/"x" is also used by runtimes\[0\]; each slug must be unique/),
    });
  });

  it('a syntax error, a missing export and a missing file are each explained', async () => {
    const broken = projectWith({ 'runtools.config.ts': 'export default defineConfig({ runtimes: [\n' });
    expect((await loadError(broken)).problems[0]).toEqual({
      field: '(file)',
      message: expect.stringMatching(/could not be loaded: .*; fix it and save again/),
    });
    const empty = projectWith({ 'runtools.config.ts': 'export const other = 1;\n' });
    expect((await loadError(empty)).problems[0]?.message).toMatch(
      /exports no config; end it with "export default defineConfig/,
    );
    const missing = path.join(path.dirname(empty), 'nope.config.ts');
    expect((await loadError(missing)).problems[0]?.message).toMatch(
      /does not exist; create it, or point --config at your config file/,
    );
  });

  it('a syntax error names file:line:col and shows the lines around it with a caret', async () => {
    const file = projectWith({
      'runtools.config.ts': config(`{\n  runtimes: [\n    { slug: 'a' model: 'claude-opus-4-5' },\n  ],\n}`),
    });
    const message = (await loadError(file)).problems[0]!.message;
    // The error's line 4 (line 1 is the import, 2 opens the call, 3 opens runtimes): after 'a'.
    expect(message).toMatch(/syntax error: .* at .*runtools\.config\.ts:4:17; fix it and save again/);
    expect(message).toContain("> 4 |     { slug: 'a' model: 'claude-opus-4-5' },");
    expect(message).toMatch(/\n\s+\| {17}\^/);
    expect(message).toContain('  3 |   runtimes: [');
  });

  it('live providers and recordings: paths resolved, enabled kept, mistakes named by field with the fix', async () => {
    const file = projectWith({
      'runtools.config.ts': config(`{
  tools: {
    gmail: { live: { url: 'http://127.0.0.1:1/mcp' } as never, record: true },
    linear: { mcp: { command: 'linear-mcp' }, live: { mcp: { url: 'https://mcp.linear.app/mcp' }, enabled: true }, record: 'rec/linear.jsonl' },
  },
  runtimes: [{ slug: 'x', model: 'gpt-5.2', tools: ['gmail__send_message'] }],
}`),
    });
    const error = await loadError(file);
    expect(Object.fromEntries(error.problems.map((p) => [p.field, p.message]))).toEqual({
      'tools.gmail.live': expect.stringMatching(
        /live is the real provider: mcp: \{command, args, env\} or \{url, headers\} for an MCP server, or functions: .*plus enabled: true to use it without --live/,
      ),
    });

    const good = projectWith({
      'runtools.config.ts': config(`{
  tools: {
    gmail: { live: { mcp: { url: 'https://gmail.example/mcp' } }, record: true },
    linear: { mcp: { command: 'linear-mcp' }, live: { mcp: { url: 'https://mcp.linear.app/mcp' }, enabled: true }, record: 'rec/linear.jsonl' },
  },
  // A live provider may name its tools otherwise than the stand-in does.
  runtimes: [{ slug: 'x', model: 'gpt-5.2', tools: ['gmail__send_message'] }],
}`),
    });
    const loaded = await loadConfig(good);
    expect(loaded.toolsets.gmail).toEqual({
      kind: 'stand-in',
      fixtures: undefined,
      live: {
        provider: { kind: 'mcp', server: { url: 'https://gmail.example/mcp' }, timeoutMs: 60_000 },
        enabled: false,
      },
      record: true,
    });
    expect(loaded.toolsets.linear).toMatchObject({
      kind: 'mcp',
      live: { enabled: true },
      record: path.join(path.dirname(good), 'rec/linear.jsonl'),
    });

    const wrong = projectWith({
      'runtools.config.ts': config(`{
  tools: {
    gmail: { mcp: { command: 'gmail-mcp' } },
    billing: { live: { mcp: { command: 'billing-mcp' } } },
  },
}`),
    });
    const problems = Object.fromEntries((await loadError(wrong)).problems.map((p) => [p.field, p.message]));
    expect(problems['tools.gmail']).toMatch(
      /"gmail" is the built-in stand-in; .*or put your provider under live: \{\.\.\.\} to use it instead of the stand-in with --live gmail/,
    );
    expect(problems['tools.billing']).toMatch(
      /"billing" is not a stand-in \(they are gmail\); say what serves it: give it mcp: \{\.\.\.\} or functions: \[\.\.\.\]/,
    );
    const badRecord = projectWith({
      'runtools.config.ts': config(`{ tools: { gmail: { record: 7 } as never } }`),
    });
    const [recordProblem] = (await loadError(badRecord)).problems;
    expect(recordProblem?.field).toBe('tools.gmail.record');
    expect(recordProblem?.message).toMatch(
      /record is a file path like "recordings\/gmail\.jsonl" \(relative to the config\), or true/,
    );
  });

  it("lists the project modules the config imports among the files to watch, not packages or runtools' own", async () => {
    const file = projectWith({
      'tools/helper.ts': 'export const word = (): string => "hi";\n',
      'tools/greet.ts': "import { word } from './helper.ts';\nexport const greeting = word();\n",
      'runtools.config.ts': `import { defineConfig } from 'runtools/config';
import { greeting } from './tools/greet.ts';
export default defineConfig({ runtimes: [{ slug: 'x', model: 'gpt-5.2', systemPrompt: greeting }] });
`,
    });
    const loaded = await loadConfig(file);
    const dir = path.dirname(file);
    expect(loaded.files.sort()).toEqual(
      [file, path.join(dir, 'tools/greet.ts'), path.join(dir, 'tools/helper.ts')].sort(),
    );
  });
});
