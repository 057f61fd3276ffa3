// The project config `runtools dev` loads: edit and save, and the server picks it up.
import { defineConfig } from 'runtools/config';

export default defineConfig({
  runtimes: [
    {
      // The runtime from the SDK docs ("Creating Agent Runtimes"). It needs ANTHROPIC_API_KEY to run.
      slug: 'code-assistant',
      name: 'Code Assistant',
      systemPrompt: { file: './prompts/code.md' },
      model: 'claude-opus-4-5',
      tools: ['bash', 'read_file', 'edit_file', 'grep', 'glob', 'web_search'],
    },
    {
      // Plays a recorded session from a script: real tools in a real container, no key, no network.
      slug: 'demo',
      name: 'Demo (scripted model)',
      systemPrompt: { file: './prompts/demo.md' },
      model: { provider: 'scripted', script: './scripts/demo/todo-app.json' },
      tools: ['bash', 'read_file', 'edit_file', 'grep', 'glob'],
    },
  ],
  deployments: [
    // The docs' deployment, without webhookUrl and secrets: a fresh machine has neither set.
    {
      apiSlug: 'my-code-bot',
      runtimeSlug: 'code-assistant',
      templateSlug: 'nodejs-20',
      maxConcurrent: 10,
      timeout: 300,
    },
    { apiSlug: 'demo', runtimeSlug: 'demo', templateSlug: 'nodejs-20', timeout: 300 },
  ],
});
