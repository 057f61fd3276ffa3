import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deploy } from '../test/helpers/runs.js';
import { startHarness } from '../test/helpers/transports.js';

const h = await startHarness('in-process', { parts: { warn: () => {} }, warm: { perKey: 1 } });
const ws = await h.rt.workspaces.create({ id: 'bench-docker' });
writeFileSync(path.join(ws.path, 'a.txt'), 'hello\n');
await deploy(h, 'd', [{ toolCalls: [{ name: 'read_file', input: { path: 'a.txt' } }] }, { text: 'done' }], {
  sandbox: 'docker',
});
const mounts = [{ workspaceId: 'bench-docker', path: '/workspace' }];
for (let i = 0; i < 5; i++) {
  while (i >= 2 && h.engine.warmContainers() === 0) await new Promise((r) => setTimeout(r, 10));
  const t = performance.now();
  const run = await h.rt.agents.run('d', { message: 'go', stream: true, mounts });
  const times: string[] = [];
  for await (const e of run) times.push(`${e.type}@${(performance.now() - t).toFixed(0)}`);
  console.log(i, h.engine.warmContainers(), times.join(' '));
}
await h.close();
