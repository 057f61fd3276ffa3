import { deploy } from '../test/helpers/runs.js';
import { startHarness } from '../test/helpers/transports.js';

const kind = process.argv[2] as 'local' | 'docker';
const h = await startHarness('in-process', { parts: { warn: () => {} } });
await deploy(
  h,
  'd',
  [
    { toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }] },
    { toolCalls: [{ name: 'read_file', input: { path: 'x' } }] },
    { text: 'done' },
  ],
  { sandbox: kind },
);
const r = await h.rt.agents.run('d', { message: 'go' });
console.log(r.status);
await h.close();
await new Promise((r) => setTimeout(r, 300));
console.log(kind, process.getActiveResourcesInfo());
