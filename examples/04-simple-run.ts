// "Simple Run".
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

const result = await rt.agents.run('my-code-bot', {
  message: 'Create a React todo app with TypeScript',
});

if (result.status !== 'completed') {
  // A run that did not complete has no output: say how it ended and why, and fail the program.
  console.error(
    `run ${result.id} ${result.status}: ${result.error ?? result.statusReason ?? 'no reason given'}`,
  );
  process.exit(1);
}
console.log(result.output);
console.log(result.devUrl);
console.log(result.files); // Files created/modified
