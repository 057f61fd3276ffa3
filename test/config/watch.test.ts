import { linkSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigWatcher } from '../../src/config/watch.js';
import { tempDir } from '../helpers/tmp.js';

// Hot reload's watcher on a real file system: it must report every change to a watched file, even
// one the folder watch cannot see.

let watcher: ConfigWatcher | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  cleanup?.();
});

/** A watcher on `files`; `next()` resolves with the files of the next report. */
async function watching(files: string[]): Promise<{ next(): Promise<string[]> }> {
  const waiting: ((changed: string[]) => void)[] = [];
  const reports: string[][] = [];
  watcher = new ConfigWatcher(files, (changed) => {
    const take = waiting.shift();
    if (take) take(changed);
    else reports.push(changed);
  });
  await watcher.ready;
  return {
    next: () => {
      const report = reports.shift();
      return report ? Promise.resolve(report) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

describe('ConfigWatcher', () => {
  it('reports an edit, a folder swapped by rename and a file written through a hard link elsewhere', async () => {
    const made = tempDir('runtools-watch-');
    cleanup = made.cleanup;
    const dir = made.dir;
    const prompts = path.join(dir, 'prompts');
    const prompt = path.join(prompts, 'bot.md');
    mkdirSync(prompts);
    writeFileSync(prompt, 'one\n');
    const { next } = await watching([prompt]);

    writeFileSync(prompt, 'two\n');
    expect(await next()).toEqual([prompt]);

    // What a checkout of the folder can do: the old one moved away, a new one put in its place.
    const fresh = path.join(dir, 'prompts.new');
    mkdirSync(fresh);
    writeFileSync(path.join(fresh, 'bot.md'), 'three, swapped in\n');
    renameSync(prompts, path.join(dir, 'prompts.old'));
    renameSync(fresh, prompts);
    expect((await next()).length).toBeGreaterThan(0);

    // A write through a hard link in another folder changes the file, and inotify tells only the
    // folder it was written through: the folder watch never hears of it, the stat recheck does.
    const elsewhere = path.join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    linkSync(prompt, path.join(elsewhere, 'bot.md'));
    // Let any event of the link itself (none is expected) pass before the write.
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(path.join(elsewhere, 'bot.md'), 'four, through the link\n');
    expect(await next()).toEqual([prompt]);
  }, 30_000);
});
