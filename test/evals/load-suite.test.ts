import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadSuite } from '../../src/evals/load-suite.js';
import { copyFixture } from '../../src/evals/workspace-copy.js';
import { tempDir } from '../helpers/tmp.js';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = tempDir('runtools-suite-');
});
afterEach(() => tmp.cleanup());

const write = (rel: string, content: string): string => {
  const file = path.join(tmp.dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
};

async function problems(file: string): Promise<{ message: string; fields: string[] }> {
  const error = await loadSuite(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const configError = error as ConfigError;
  return { message: configError.message, fields: configError.problems.map((p) => p.field) };
}

describe('suite files', () => {
  it('loads a .json suite, resolving its workspace against the suite file', async () => {
    mkdirSync(path.join(tmp.dir, 'evals/fixtures/empty'), { recursive: true });
    const file = write(
      'evals/app.eval.json',
      JSON.stringify({
        name: 'app',
        deployment: 'my-code-bot',
        cases: [
          {
            name: 'creates',
            message: 'Create a todo app',
            workspace: './fixtures/empty',
            checks: [{ type: 'command', run: 'npm test' }],
          },
        ],
      }),
    );
    const { suite } = await loadSuite(file);
    expect(suite.cases[0]).toMatchObject({
      workspace: path.join(tmp.dir, 'evals/fixtures/empty'),
      mounts: [],
      context: { files: [] },
      checks: [{ type: 'command', run: 'npm test', timeoutMs: 60_000 }],
    });
  });

  it('loads a .ts suite whose default export is defineEval({...}) from runtools/config', async () => {
    const file = write(
      'app.eval.ts',
      `import { defineEval } from 'runtools/config';
export default defineEval({
  name: 'typed',
  deployment: 'demo',
  repeat: 3,
  cases: [{ name: 'one', message: 'hi', checks: [{ type: 'output_matches', pattern: 'h(i|ello)', flags: 'i' }] }],
});
`,
    );
    const { suite } = await loadSuite(file);
    expect(suite).toMatchObject({ name: 'typed', repeat: 3, cases: [{ name: 'one' }] });
  });

  it('names the file, each bad field and the fix', async () => {
    const file = write(
      'bad.eval.json',
      JSON.stringify({
        name: 'bad',
        deployment: 'Not A Slug',
        cases: [
          {
            name: 'one',
            message: 'x',
            workspace: './missing',
            checks: [
              { type: 'output_matches', pattern: '(' },
              { type: 'file_exists', path: 'relative.txt' },
              { type: 'command' },
              { type: 'max_turnz', value: 3 },
            ],
            extra: true,
          },
        ],
      }),
    );
    const { message, fields } = await problems(file);
    expect(message).toContain('bad.eval.json is not valid');
    expect(fields).toEqual(
      expect.arrayContaining([
        'deployment',
        'cases[0].checks[0].pattern',
        'cases[0].checks[1].path',
        'cases[0].checks[2].run',
        'cases[0].checks[3].type',
        'cases[0]',
      ]),
    );
    expect(message).toMatch(/deployment: use lowercase letters/);
    expect(message).toMatch(/pattern: pattern is not a valid regular expression/);
    expect(message).toMatch(/path: path "relative.txt" must be absolute in the container/);
    expect(message).toMatch(/run: is required: add run/);
    expect(message).toMatch(
      /checks\[3\].type: unknown check type; use one of output_contains, output_matches/,
    );
    expect(message).toMatch(/cases\[0\]: unknown field "extra"; check the spelling or remove it/);
  });

  it('says when a workspace folder is missing, a file is not JSON, or a .ts file exports nothing', async () => {
    const missing = write(
      'a.eval.json',
      JSON.stringify({
        name: 'a',
        deployment: 'demo',
        cases: [{ name: 'c', message: 'm', workspace: 'nope', checks: [{ type: 'max_turns', value: 1 }] }],
      }),
    );
    expect((await problems(missing)).message).toMatch(
      /cases\[0\]\.workspace: "nope" is not a folder \(looked for .*nope\); create it or fix the path, which is relative to the suite file/,
    );
    expect((await problems(write('b.eval.json', '{ "name": '))).message).toMatch(
      /\(file\): is not valid JSON/,
    );
    expect((await problems(write('c.eval.ts', 'export const x = 1;\n'))).message).toMatch(
      /exports no suite; end it with "export default defineEval/,
    );
    // A .ts suite that does not parse: where, as the config says it, and the fix.
    expect((await problems(write('e.eval.ts', "export default {\n  name: 'e',,\n};\n"))).message).toMatch(
      /could not be loaded: syntax error: .* at .*e\.eval\.ts:2:\d+; fix it and try again/,
    );
    expect((await problems(path.join(tmp.dir, 'none.json'))).message).toMatch(/does not exist/);
    const noCases = write('d.eval.json', JSON.stringify({ name: 'd', deployment: 'demo', cases: [] }));
    expect((await problems(noCases)).message).toMatch(/cases: a suite needs at least one case/);
  });
});

describe('workspace fixtures', () => {
  it('are copied with their files, folders and inner links; the fixture is untouched', async () => {
    const fixture = path.join(tmp.dir, 'fixture');
    write('fixture/src/a.js', 'export const a = 1;\n');
    symlinkSync('src/a.js', path.join(fixture, 'link.js'));
    const copy = path.join(tmp.dir, 'copy');
    await copyFixture(fixture, copy);
    expect(readFileSync(path.join(copy, 'link.js'), 'utf8')).toBe('export const a = 1;\n');
    writeFileSync(path.join(copy, 'src/a.js'), 'changed');
    expect(readFileSync(path.join(fixture, 'src/a.js'), 'utf8')).toBe('export const a = 1;\n');
  });

  it('refuse a symlink out of the fixture, and never open a FIFO', async () => {
    const outside = write('secret.txt', 'do not copy');
    const fixture = path.join(tmp.dir, 'fixture');
    mkdirSync(fixture);
    symlinkSync(outside, path.join(fixture, 'escape'));
    await expect(copyFixture(fixture, path.join(tmp.dir, 'c1'))).rejects.toThrow(
      /symlink escape points outside the fixture/,
    );
    const relativeEscape = path.join(tmp.dir, 'fixture2');
    mkdirSync(relativeEscape);
    symlinkSync('../secret.txt', path.join(relativeEscape, 'up'));
    await expect(copyFixture(relativeEscape, path.join(tmp.dir, 'c2'))).rejects.toThrow(/points outside/);
    const fifo = path.join(tmp.dir, 'fixture3');
    mkdirSync(fifo);
    execFileSync('mkfifo', [path.join(fifo, 'pipe')]);
    await expect(copyFixture(fifo, path.join(tmp.dir, 'c3'))).rejects.toThrow(
      /not a file, folder or symlink/,
    );
  });
});
