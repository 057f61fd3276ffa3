import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { DockerSandboxFactory } from '../src/sandbox/docker-factory.js';
import { TemplateRegistry } from '../src/sandbox/templates.js';

const f = new DockerSandboxFactory({
  templates: new TemplateRegistry([path.resolve('templates')]),
  warm: { owner: 'probe', perKey: 1 },
});
const ws = mkdtempSync('/tmp/probe-');
const spec = (id: string) => ({
  runId: id,
  template: 'nodejs-20',
  mounts: [{ hostPath: ws, containerPath: '/workspace', readOnly: false }],
  env: {},
  network: 'bridge' as const,
  limits: { memoryMb: 512, cpus: 1, pids: 256 },
});
for (let i = 0; i < 4; i++) {
  while (i >= 2 && f.warmReady() === 0) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 1500));
  let t = performance.now();
  const sb = await f.create(spec('probe-' + i));
  const c = performance.now() - t;
  t = performance.now();
  await sb.readFile('/etc/hostname');
  console.log(i, 'create', c.toFixed(0), 'first readFile', (performance.now() - t).toFixed(0));
  await sb.dispose();
}
await f.close();
