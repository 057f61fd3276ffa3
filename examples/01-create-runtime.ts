// "Creating Agent Runtimes" from the RunTools SDK docs, unchanged.
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

const runtime = await rt.runtimes.create({
  slug: 'code-assistant',
  name: 'Code Assistant',
  systemPrompt: `You are an expert software engineer.
Help users build applications with clean, well-documented code.`,
  model: 'claude-opus-4-5',
  tools: ['bash', 'read_file', 'edit_file', 'grep', 'glob', 'web_search'],
});

console.log(`created ${runtime.slug} v${runtime.version} on ${runtime.model}`);
