// "Simple Run".
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

const result = await rt.agents.run('my-code-bot', {
  message: 'Create a React todo app with TypeScript',
});

console.log(result.output);
console.log(result.devUrl);
console.log(result.files); // Files created/modified
