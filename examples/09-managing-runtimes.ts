// "Managing Runtimes". `gmail` is not one of the six built-in tools, so the server answers 400
// and names the valid ones; the update is then made with built-in tools only.
import { RunTools, RunToolsError } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

// List runtimes
const runtimes = await rt.runtimes.list();
console.log(runtimes.map((r) => r.slug));

// Get runtime
const runtime = await rt.runtimes.get('code-assistant');

// Update runtime
try {
  await runtime.update({
    systemPrompt: 'Updated prompt...',
    tools: ['bash', 'read_file', 'edit_file', 'gmail' as 'bash'],
  });
} catch (error) {
  if (!(error instanceof RunToolsError)) throw error;
  console.log(`${error.status}: ${error.message}`);
}
await runtime.update({ systemPrompt: 'Updated prompt...', tools: ['bash', 'read_file', 'edit_file'] });
console.log('updated:', runtime.systemPrompt, runtime.tools);

// Delete runtime (a scratch one: code-assistant is used by my-code-bot, and deleting it is refused)
const scratch = await rt.runtimes.create({ slug: 'scratch', model: 'gpt-5.2' });
await scratch.delete();
console.log('deleted scratch');
