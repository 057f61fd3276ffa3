import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { RunTools } from '../../src/local.js';
import { tempDir } from '../helpers/tmp.js';

const dirs: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

it('RunTools.local() runs the engine in this process: no server, no port, state kept in the data dir', async () => {
  const data = tempDir();
  const project = tempDir('runtools-project-');
  dirs.push(data, project);
  writeFileSync(
    path.join(project.dir, 'hi.json'),
    JSON.stringify({ turns: [{ text: 'hello from in-process' }] }),
  );
  const rt = await RunTools.local({ dataDir: data.dir, projectDir: project.dir });
  try {
    await rt.runtimes.create({ slug: 'hi', model: { provider: 'scripted', script: './hi.json' } });
    await rt.deployments.create({ runtimeSlug: 'hi', apiSlug: 'hi', templateSlug: 'base', sandbox: 'local' });
    const run = await rt.agents.run('hi', { message: 'say hi' });
    expect(run).toMatchObject({ status: 'completed', output: 'hello from in-process' });
  } finally {
    await rt.close();
  }
  // A second client on the same data dir sees what the first kept.
  const again = await RunTools.local({ dataDir: data.dir, projectDir: project.dir });
  try {
    expect((await again.runs.list()).data.map((r) => r.output)).toEqual(['hello from in-process']);
  } finally {
    await again.close();
  }
});
