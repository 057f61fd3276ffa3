import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { CONFIG_FILE } from './project-paths.js';

const PROMPT = `You are a helpful assistant working in a sandbox. Keep answers short, and say what you did.
`;

/** A scripted model: one tool call and an answer, so the first run needs no key and no network. */
const SCRIPT = {
  turns: [
    {
      text: 'Hello! Let me show that my tools work: I will write a file and read it back.',
      toolCalls: [
        { name: 'bash', input: { command: 'echo "hello from runtools" > hello.txt && cat hello.txt' } },
      ],
    },
    { text: 'Done: hello.txt holds "hello from runtools". Edit prompts/assistant.md and run me again.' },
  ],
};

const config = (
  sandbox: string,
) => `// What \`runtools dev\` serves. Edit and save while it runs: it reloads and makes a new version.
import { defineConfig } from 'runtools/config';

export default defineConfig({
  // 'docker' runs the agent's tools in a container; 'local' runs them on this machine, with no isolation.
  sandbox: '${sandbox}',
  runtimes: [
    {
      slug: 'assistant',
      systemPrompt: { file: './prompts/assistant.md' },
      // A scripted model plays scripts/hello.json: no key needed. For a real model use a name, like
      // 'claude-sonnet-4-5', and set ANTHROPIC_API_KEY where runtools dev runs (or in .env here).
      model: { provider: 'scripted', script: './scripts/hello.json' },
      tools: ['bash', 'read_file', 'edit_file', 'grep', 'glob'],
    },
  ],
  deployments: [{ apiSlug: 'demo', runtimeSlug: 'assistant', templateSlug: 'base', timeout: 300 }],
});
`;

/** `runtools init`: a working project in the current folder, so people start in their own repo. */
export function initCommand(): Command {
  return new Command('init')
    .description('write a starter runtools.config.ts, a prompt file and a scripted demo into this folder')
    .addOption(
      new Option('--sandbox <kind>', 'where the tools run: docker (isolated) or local (this machine)')
        .choices(['docker', 'local'])
        .default('docker'),
    )
    .action((options: { sandbox: 'docker' | 'local' }) => {
      const dir = process.cwd();
      if (existsSync(path.join(dir, CONFIG_FILE)))
        throw new Error(
          `${CONFIG_FILE} already exists here; edit it, or run "runtools init" in another folder`,
        );
      const files: [string, string][] = [
        [CONFIG_FILE, config(options.sandbox)],
        ['prompts/assistant.md', PROMPT],
        ['scripts/hello.json', `${JSON.stringify(SCRIPT, null, 2)}\n`],
      ];
      for (const [rel, content] of files) {
        const file = path.join(dir, rel);
        if (existsSync(file)) {
          console.log(`  ${pc.dim('=')} ${rel} (exists, left as is)`);
          continue;
        }
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, content);
        console.log(`  ${pc.green('+')} ${rel}`);
      }
      const ignored = ensureIgnored(path.join(dir, '.gitignore'), ['.runtools/', '.env']);
      if (ignored.length > 0) console.log(`  ${pc.green('+')} .gitignore: ${ignored.join(', ')}`);
      console.log(
        [
          '',
          `next: ${pc.bold('npx runtools dev')}   (the server; it watches these files)`,
          `then: ${pc.bold('npx runtools run demo "hello"')}   (in another terminal)`,
          options.sandbox === 'docker'
            ? pc.dim(
                'the first run builds the "base" template image (a minute or two); "runtools doctor" checks Docker',
              )
            : pc.dim('sandbox is local: tools run on this machine with no isolation'),
        ].join('\n'),
      );
    });
}

/** Adds the lines .gitignore lacks (the data dir holds the API key and every run); returns them. */
function ensureIgnored(file: string, lines: string[]): string[] {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const have = new Set(current.split('\n').map((l) => l.trim()));
  const missing = lines.filter((l) => !have.has(l) && !have.has(l.replace(/\/$/, '')));
  if (missing.length === 0) return [];
  const prefix = current === '' || current.endsWith('\n') ? '' : '\n';
  appendFileSync(file, `${prefix}${missing.join('\n')}\n`);
  return missing;
}
