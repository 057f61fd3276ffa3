import { execFileSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configTs, type Project, project, scriptJson, startDev } from './helpers.js';

let p: Project;
let stop: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  p?.cleanup();
});

/** A project that is a git repository with its prompt committed, as most are. */
function gitProject(): Project {
  p = project({
    'runtools.config.ts': configTs([
      { slug: 'bot', script: './one.json', prompt: { file: './prompts/bot.md' } },
    ]),
    'prompts/bot.md': 'Prompt one.\n',
    'one.json': scriptJson([{ text: 'hello' }]),
    '.gitignore': '.runtools/\n',
  });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  return p;
}

function git(...args: string[]): void {
  execFileSync('git', args, {
    cwd: p.dir,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
    stdio: 'ignore',
  });
}

const prompt = path.join('prompts', 'bot.md');

describe('hot reload survives files that go away and come back', () => {
  it('git stash, stash pop, checkout, a move away and back, and an editor save-by-rename each make a version', async () => {
    gitProject();
    const { dev, stop: end } = await startDev(p);
    stop = end;
    let version = 1;
    /** Does `change`, then waits for the version it should make and checks the prompt it holds. */
    const expectVersion = async (change: () => void, text: string) => {
      const mark = dev.stdout().length;
      change();
      version++;
      await dev.waitFor(new RegExp(`runtime bot changed: v${version - 1} -> v${version}`), {
        from: mark,
      });
      // The diff printed ends with the new text.
      expect(dev.stdout().slice(mark)).toContain(`+  ${text}`);
    };
    await expectVersion(() => p.write(prompt, 'Prompt two.\n'), 'Prompt two.');
    await expectVersion(() => git('stash'), 'Prompt one.');
    await expectVersion(() => git('stash', 'pop'), 'Prompt two.');
    await expectVersion(() => git('checkout', '--', prompt), 'Prompt one.');
    // Gone for a moment: the reload in between reports the missing file and keeps the last good config.
    const moved = path.join(p.dir, 'bot.md.away');
    const away = dev.stdout().length;
    renameSync(path.join(p.dir, prompt), moved);
    await dev.waitFor(/prompts\/bot\.md" does not exist/, { from: away });
    writeFileSync(moved, 'Prompt three.\n');
    await expectVersion(() => renameSync(moved, path.join(p.dir, prompt)), 'Prompt three.');
    // An editor that saves by writing a temp file and renaming it over the old one (vim, JetBrains).
    await expectVersion(() => {
      const temp = path.join(p.dir, 'prompts', '.bot.md.swp');
      writeFileSync(temp, 'Prompt four.\n');
      renameSync(temp, path.join(p.dir, prompt));
    }, 'Prompt four.');
    // And an edit after all that still reloads.
    await expectVersion(() => p.write(prompt, 'Prompt five.\n'), 'Prompt five.');
  });

  it('a prompt folder removed and brought back by a checkout is watched again', async () => {
    gitProject();
    const { dev, stop: end } = await startDev(p);
    stop = end;
    const mark = dev.stdout().length;
    rmSync(path.join(p.dir, 'prompts'), { recursive: true });
    await dev.waitFor(/prompts\/bot\.md" does not exist/, { from: mark });
    const back = dev.stdout().length;
    git('checkout', '--', 'prompts');
    // The same text as v1: nothing to version, but the config is good again.
    await dev.waitFor(/config reloaded runtools\.config\.ts \(no changes/, { from: back });
    const edit = dev.stdout().length;
    p.write(prompt, 'Prompt after the folder came back.\n');
    await dev.waitFor(/runtime bot changed: v1 -> v2/, { from: edit });
  });

  it('a syntax error in the config shows file:line:col and the lines around it', async () => {
    gitProject();
    const { dev, stop: end } = await startDev(p);
    stop = end;
    const mark = dev.stdout().length;
    p.write(
      'runtools.config.ts',
      "import { defineConfig } from 'runtools/config';\n\nexport default defineConfig({\n  runtimes: [{ slug: 'bot' model: 'x' }],\n});\n",
    );
    await dev.waitFor(/the last good config stays in force/, { from: mark });
    const output = dev.stdout().slice(mark);
    expect(output).toMatch(/syntax error: Unexpected token, expected "," at runtools\.config\.ts:4:28/);
    expect(output).toContain("> 4 |   runtimes: [{ slug: 'bot' model: 'x' }],");
    expect(output).toMatch(/\| {28}\^/);
  });
});
