import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { DockerSandboxFactory } from '../src/sandbox/docker-factory.js';
import { TemplateRegistry } from '../src/sandbox/templates.js';
import { executeTool } from '../tools/registry.js';

const f = new DockerSandboxFactory({ templates: new TemplateRegistry([path.resolve('templates')]) });
const ws = mkdtempSync('/tmp/probe-');
let t = performance.now();
const sb = await f.create({
  runId: 'probe-1',
  template: 'nodejs-20',
  mounts: [{ hostPath: ws, containerPath: '/workspace', readOnly: false }],
  env: {},
  network: 'bridge',
  limits: { memoryMb: 512, cpus: 1, pids: 256 },
});
console.log('create', (performance.now() - t).toFixed(0));
for (let i = 0; i < 3; i++) {
  t = performance.now();
  await sb.readFile('/etc/hostname');
  console.log('readFile', (performance.now() - t).toFixed(0));
}
await new Promise((r) => setTimeout(r, 2000));
const ctx = {
  runId: 'probe-1',
  sandbox: sb,
  roots: ['/workspace'],
  signal: new AbortController().signal,
  emit: () => {},
  settings: {} as any,
  state: new Map(),
} as any;
for (let i = 0; i < 3; i++) {
  t = performance.now();
  const r = await executeTool('read_file', { path: 'a.txt' }, ctx);
  console.log('read_file tool', (performance.now() - t).toFixed(0), r.output.slice(0, 60));
}
await sb.dispose();
