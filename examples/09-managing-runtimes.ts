// "Managing Runtimes". `gmail` is the built-in gmail stand-in toolset: its tools reach the model as
// gmail__send_email, gmail__search_emails and gmail__read_email, and sent mail stays in a local outbox.
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

// List runtimes
const runtimes = await rt.runtimes.list();
console.log(runtimes.map((r) => r.slug));

// Get runtime
const runtime = await rt.runtimes.get('code-assistant');

// Update runtime
await runtime.update({
  systemPrompt: 'Updated prompt...',
  tools: ['bash', 'read_file', 'edit_file', 'gmail'],
});
console.log('updated:', runtime.systemPrompt, runtime.tools);

// Delete runtime (a scratch one: code-assistant is used by my-code-bot, and deleting it is refused)
const scratch = await rt.runtimes.create({ slug: 'scratch', model: 'gpt-5.2' });
await scratch.delete();
console.log('deleted scratch');
