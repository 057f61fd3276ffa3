// A process that runs an engine with runs in flight, for the restart test to SIGKILL.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalEngine } from '../../src/engine/create.js';
import { RunTools } from '../../src/sdk/client.js';

const [dataDir, projectDir] = process.argv.slice(2) as [string, string];
const engine = await createLocalEngine({ dataDir, projectDir });
const rt = new RunTools(engine);
writeFileSync(
  path.join(projectDir, 'slow.json'),
  JSON.stringify({ turns: [{ delayMs: 600_000, text: 'never' }] }),
);
writeFileSync(path.join(projectDir, 'quick.json'), JSON.stringify({ turns: [{ text: 'ok' }] }));
for (const [slug, script, maxConcurrent] of [
  ['bot', './slow.json', 1],
  ['quick', './quick.json', 5],
] as const) {
  await rt.runtimes.create({ slug, model: { provider: 'scripted', script }, tools: [] });
  await rt.deployments.create({
    runtimeSlug: slug,
    apiSlug: slug,
    templateSlug: 'base',
    sandbox: 'local',
    maxConcurrent,
  });
}
const done = await rt.agents.run('quick', { message: 'done before the crash' });
const running = await rt.agents.run('bot', { message: 'one', stream: true });
const queued = await rt.agents.run('bot', { message: 'two', stream: true });
for await (const event of running) if (event.type === 'status' && event.status === 'running') break;
engine.runService.events.flush();
process.stdout.write(`READY ${JSON.stringify({ done: done.id, running: running.id, queued: queued.id })}\n`);
setInterval(() => {}, 1_000);
