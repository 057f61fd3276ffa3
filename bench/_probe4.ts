import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { DockerSandboxFactory } from '../src/sandbox/docker-factory.js';
import { TemplateRegistry } from '../src/sandbox/templates.js';

const f = new DockerSandboxFactory({ templates: new TemplateRegistry([path.resolve('templates')]) });
const ws = mkdtempSync('/tmp/probe-');
const net = (process.argv[2] ?? 'bridge') as 'bridge' | 'none';
const spec = (id: string) => ({
  runId: id,
  template: 'nodejs-20',
  mounts: [{ hostPath: ws, containerPath: '/workspace', readOnly: false }],
  env: {},
  network: net,
  limits: { memoryMb: 512, cpus: 1, pids: 256 },
});
let t = performance.now();
const sbs = await Promise.all(Array.from({ length: 20 }, (_, i) => f.create(spec(`p4-${i}`))));
const c = performance.now() - t;
t = performance.now();
await Promise.all(sbs.map((s) => s.readFile('/etc/hostname')));
const r = performance.now() - t;
t = performance.now();
await Promise.all(sbs.map((s) => s.exec('true')));
const e = performance.now() - t;
t = performance.now();
await Promise.all(sbs.map((s) => s.dispose()));
console.log(net, {
  create20: c.toFixed(0),
  firstRead: r.toFixed(0),
  exec20: e.toFixed(0),
  dispose20: (performance.now() - t).toFixed(0),
});
