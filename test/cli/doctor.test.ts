import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Project, project, startDev } from './helpers.js';

let p: Project;
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  p?.cleanup();
});

const noKeys = { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', GEMINI_API_KEY: '', GOOGLE_API_KEY: '' };

describe('runtools doctor', () => {
  it('names a port taken by another program as a problem, with the fix, and warns about unset keys', async () => {
    p = project({});
    server = createServer((_req, res) => res.end('not runtools'));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const result = await p.cli(['doctor', '--port', String(port)], { env: noKeys });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✔ Node: v\d+/);
    expect(result.stdout).toMatch(
      new RegExp(
        `✖ Port ${port}: taken by another HTTP server\\n\\s+→ stop it, or start runtools on another port: runtools dev --port ${port + 1}`,
      ),
    );
    expect(result.stdout).toMatch(
      /! Anthropic key: ANTHROPIC_API_KEY not set[^\n]*\n\s+→ export ANTHROPIC_API_KEY=/,
    );
    expect(result.stdout).toMatch(/! Google key: GEMINI_API_KEY or GOOGLE_API_KEY not set/);
    expect(result.stdout).toMatch(/✔ Data dir: .* is writable/);
    expect(result.stdout).toMatch(/(✔ Docker: engine|✖ Docker: no engine answers[^\n]*\n\s+→ start Docker)/);
  });

  it('a runtools server on the port is fine, and a set key is reported by name', async () => {
    p = project({});
    const { url, stop } = await startDev(p);
    try {
      const port = new URL(url).port;
      const result = await p.cli(['doctor', '--port', port], {
        env: { ...noKeys, OPENAI_API_KEY: 'sk-test' },
      });
      expect(result.stdout).toMatch(new RegExp(`✔ Port ${port}: a runtools server is running on it`));
      expect(result.stdout).toMatch(/✔ OpenAI key: OPENAI_API_KEY is set/);
      expect(result.stdout).not.toContain('sk-test');
    } finally {
      await stop();
    }
  });
});
