// "Model Configuration": one runtime per provider, plus a custom OpenAI-compatible endpoint.
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

// Anthropic
await rt.runtimes.create({ slug: 'on-anthropic', model: 'claude-opus-4-5' });
// OpenAI
await rt.runtimes.create({ slug: 'on-openai', model: 'gpt-5.2' });
// Google
await rt.runtimes.create({ slug: 'on-google', model: 'gemini-3-pro' });
// Custom endpoint (a local Ollama, vLLM or llama.cpp server works the same way)
const custom = await rt.runtimes.create({
  slug: 'on-custom',
  model: {
    provider: 'custom',
    endpoint: 'https://my-model.example.com/v1/chat',
    apiKey: process.env.MY_MODEL_KEY,
    format: 'openai',
  },
});

for (const runtime of await rt.runtimes.list()) console.log(runtime.slug, JSON.stringify(runtime.model));
console.log('custom key shown as', (custom.model as { apiKey?: string }).apiKey);
