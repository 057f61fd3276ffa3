// "Run History".
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

// List runs
const runs = await rt.runs.list({
  deployment: 'my-code-bot',
  status: 'completed',
  limit: 50,
});
console.log(runs.data.length, 'completed runs');

// Get run details
const run = await rt.runs.get(runs.data[0]!.id);
console.log(run.messages.length, 'messages');
console.log(run.toolCalls.length, 'tool calls');
console.log(run.output);
