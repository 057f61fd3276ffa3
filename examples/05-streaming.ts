// "Streaming": every event of the run as it happens.
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

const run = await rt.agents.run('my-code-bot', {
  message: 'Build a landing page',
  stream: true,
});

for await (const event of run) {
  switch (event.type) {
    case 'thinking':
      console.log('[thinking]', event.content);
      break;
    case 'tool_call':
      console.log('[tool]', event.tool, event.input);
      break;
    case 'tool_result':
      console.log('[result]', event.output);
      break;
    case 'file_edit':
      console.log('[edit]', event.path, event.diff);
      break;
    case 'dev_url':
      console.log('[url]', event.url);
      break;
    case 'error':
      console.error('[error]', event.message);
      break;
    case 'complete':
      console.log('[done]', event.output);
      break;
  }
}
