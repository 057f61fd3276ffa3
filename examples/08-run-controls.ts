// "Run Controls". The docs list the calls one after another; a cancelled run takes no more input,
// so here cancel comes last.
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

const run = await rt.agents.run('my-code-bot', {
  message: 'Complex task...',
  stream: true,
});

// Pause execution
console.log('pause ->', (await run.pause()).status);

// Resume
console.log('resume ->', (await run.resume()).status);

// Send user input mid-run
console.log('input ->', (await run.sendInput('yes, continue with that approach')).status);

// Access files during run
const files = await run.files.list('/');
console.log(
  'files ->',
  files.map((f) => f.name),
);
const first = files.find((f) => f.type === 'file');
if (first) console.log('read ->', (await run.files.read(first.path)).slice(0, 80));

// Cancel
console.log('cancel ->', (await run.cancel()).status);
