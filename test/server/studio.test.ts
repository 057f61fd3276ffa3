import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { syncConfig } from '../../src/config/sync.js';
import { createLocalEngine } from '../../src/engine/create.js';
import type { Engine } from '../../src/engine/engine.js';
import { createPromptFileWriter, type PromptSource } from '../../src/server/prompt-file.js';
import { type RunningServer, startServer } from '../../src/server/server.js';
import { tempDir } from '../helpers/tmp.js';

const KEY = 'studio-test-key';

/** A raw request, so a test controls every header (fetch forbids setting Host). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const authed = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${KEY}`, ...extra });

describe('the server as the studio sees it', () => {
  const data = tempDir();
  const project = tempDir('runtools-project-');
  const studio = tempDir('runtools-studio-');
  let engine: Engine;
  let server: RunningServer;

  beforeAll(async () => {
    writeFileSync(
      path.join(studio.dir, 'index.html'),
      '<!doctype html><script type="module" src="/assets/app.js"></script>',
    );
    mkdirSync(path.join(studio.dir, 'assets'));
    writeFileSync(path.join(studio.dir, 'assets', 'app.js'), 'console.log("studio")');
    writeFileSync(path.join(studio.dir, '.secret'), 'not for the web');
    writeFileSync(path.join(data.dir, 'outside.txt'), 'outside the studio folder');
    mkdirSync(path.join(project.dir, 'prompts'));
    writeFileSync(path.join(project.dir, 'prompts', 'filed.md'), 'You are filed.\n');
    writeFileSync(path.join(project.dir, 'script.json'), JSON.stringify({ turns: [{ text: 'done' }] }));
    writeFileSync(
      path.join(project.dir, 'runtools.config.ts'),
      `export default {
  runtimes: [
    { slug: 'filed', systemPrompt: { file: './prompts/filed.md' }, model: { provider: 'scripted', script: './script.json' } },
    { slug: 'inline', systemPrompt: 'You are inline.', model: { provider: 'scripted', script: './script.json' } },
  ],
  deployments: [{ apiSlug: 'filed', runtimeSlug: 'filed', templateSlug: 'base', sandbox: 'local' }],
};
`,
    );
    engine = await createLocalEngine({ dataDir: data.dir, projectDir: project.dir });
    const config = await loadConfig(path.join(project.dir, 'runtools.config.ts'));
    syncConfig(engine, config, { defaultSandbox: 'local' });
    await engine.runtimes.create({
      slug: 'by-api',
      model: { provider: 'scripted', script: './script.json' },
    });
    const sourceOf = (slug: string): PromptSource => {
      const runtime = config.runtimes.find((r) => r.slug === slug);
      if (!runtime) return { kind: 'not-in-config' };
      return runtime.promptFile
        ? { kind: 'file', file: runtime.promptFile, display: 'prompts/filed.md' }
        : { kind: 'inline' };
    };
    server = await startServer({
      api: engine,
      key: KEY,
      port: 0,
      studioDir: studio.dir,
      promptFiles: createPromptFileWriter(sourceOf),
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
    for (const dir of [data, project, studio]) dir.cleanup();
  });

  it('serves the studio without a key, under a strict Content-Security-Policy that no site may frame', async () => {
    const page = await raw(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('/assets/app.js');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    const script = await raw(`${server.url}/assets/app.js`);
    expect([script.status, script.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(script.headers['cache-control']).toContain('immutable');
  });

  it('every API answer carries the same headers, and the API still wants the key', async () => {
    const refused = await raw(`${server.url}/v1/runs`);
    expect(refused.status).toBe(401);
    expect(refused.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    expect((await raw(`${server.url}/v1/runs`, { headers: authed() })).status).toBe(200);
  });

  it('serves only files inside the studio folder: no dotfiles, no way out', async () => {
    for (const target of ['/.secret', '/..%2Foutside.txt', '/assets/../../outside.txt', '/nothing.js']) {
      const answer = await raw(`${server.url}${target}`);
      expect(answer.status, target).toBe(404);
      expect(answer.body).not.toContain('outside the studio folder');
      expect(answer.body).not.toContain('not for the web');
    }
    expect((await raw(`${server.url}/`, { method: 'POST' })).status).toBe(405);
  });

  it('the Host check covers the studio too (DNS rebinding)', async () => {
    const answer = await raw(`${server.url}/`, { headers: { host: 'evil.example:80' } });
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('/assets/app.js');
  });

  it('says how to build the studio when the package has none', async () => {
    const bare = await startServer({ api: engine, key: KEY, port: 0, studioDir: null });
    try {
      const answer = await raw(`${bare.url}/`);
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.body).error.message).toMatch(/npm run build/);
    } finally {
      await bare.close();
    }
  });

  it('GET /openapi.json describes the API from the zod schemas that validate it', async () => {
    const answer = await raw(`${server.url}/openapi.json`);
    expect(answer.status).toBe(200);
    const doc = JSON.parse(answer.body);
    expect(doc.openapi).toBe('3.1.0');
    const run = doc.paths['/v1/run/{apiSlug}'].post.requestBody.content['application/json'].schema;
    expect(run.required).toEqual(['message']);
    expect(Object.keys(run.properties)).toEqual(
      expect.arrayContaining([
        'message',
        'stream',
        'mounts',
        'systemPrompt',
        'runtimeVersion',
        'pauseBeforeTools',
      ]),
    );
    expect(run.additionalProperties).toBe(false);
    const query = doc.paths['/v1/runs'].get.parameters.map((p: { name: string }) => p.name);
    expect(query).toEqual(['deployment', 'status', 'q', 'limit', 'cursor']);
    expect(doc.paths['/v1/runtimes/{slug}/prompt-file'].put).toBeDefined();
    expect(doc.paths['/v1/health'].get.security).toEqual([]);
  });

  it('GET /v1/runs?q= finds runs by text in their message, ignoring case, and says what a bad q is', async () => {
    for (const message of ['Build a Todo app', 'write the README', 'another todo list'])
      await engine.runs.run('filed', { message });
    const found = await raw(`${server.url}/v1/runs?q=TODO`, { headers: authed() });
    const messages = JSON.parse(found.body).data.map((r: { input: { message: string } }) => r.input.message);
    expect(messages).toEqual(['another todo list', 'Build a Todo app']);
    const paged = JSON.parse((await raw(`${server.url}/v1/runs?q=todo&limit=1`, { headers: authed() })).body);
    expect(paged.data).toHaveLength(1);
    const next = await raw(`${server.url}/v1/runs?q=todo&limit=1&cursor=${paged.nextCursor}`, {
      headers: authed(),
    });
    expect(JSON.parse(next.body).data[0].input.message).toBe('Build a Todo app');
    const bad = await raw(`${server.url}/v1/runs?q=${'x'.repeat(201)}`, { headers: authed() });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toMatch(/q: q is at most 200 characters/);
  });

  it('PUT /v1/runtimes/:slug/prompt-file writes the prompt file the config names, and nothing else', async () => {
    const put = (slug: string, body: unknown) =>
      raw(`${server.url}/v1/runtimes/${slug}/prompt-file`, {
        method: 'PUT',
        headers: authed({ 'content-type': 'application/json' }),
        body: JSON.stringify(body),
      });
    const written = await put('filed', { systemPrompt: 'You are filed, and careful.\n' });
    expect(written.status).toBe(200);
    expect(JSON.parse(written.body)).toEqual({ file: 'prompts/filed.md' });
    expect(readFileSync(path.join(project.dir, 'prompts', 'filed.md'), 'utf8')).toBe(
      'You are filed, and careful.\n',
    );

    const inline = await put('inline', { systemPrompt: 'x' });
    expect(inline.status).toBe(409);
    expect(JSON.parse(inline.body).error).toMatchObject({
      type: 'conflict',
      message: expect.stringMatching(/prompt inline in runtools\.config\.ts; .*move it to a file/),
      details: { reason: 'inline_prompt' },
    });
    const byApi = await put('by-api', { systemPrompt: 'x' });
    expect(byApi.status).toBe(409);
    expect(JSON.parse(byApi.body).error.message).toMatch(
      /made through the API.*save the prompt as a new version/,
    );
    expect((await put('nobody', { systemPrompt: 'x' })).status).toBe(404);
    const empty = await put('filed', { systemPrompt: '' });
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.body).error.message).toMatch(/systemPrompt must not be empty/);
    expect(readFileSync(path.join(project.dir, 'prompts', 'filed.md'), 'utf8')).toBe(
      'You are filed, and careful.\n',
    );
  });

  it('a server without a config writes no prompt files and says why', async () => {
    const bare = await startServer({ api: engine, key: KEY, port: 0, studioDir: null });
    try {
      const answer = await raw(`${bare.url}/v1/runtimes/filed/prompt-file`, {
        method: 'PUT',
        headers: authed({ 'content-type': 'application/json' }),
        body: JSON.stringify({ systemPrompt: 'x' }),
      });
      expect(answer.status).toBe(409);
      expect(JSON.parse(answer.body).error.message).toMatch(
        /not started by "runtools dev" with a runtools\.config\.ts/,
      );
    } finally {
      await bare.close();
    }
  });
});
