import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** A resolve hook that reports every module URL the process loads back to the main thread. */
const HOOK = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;

const PROVIDER_SDKS = String.raw`node_modules\/(@anthropic-ai\/sdk|openai|@google\/genai)\/`;
const MCP_CLIENT = String.raw`node_modules\/@modelcontextprotocol\/client\/`;

/** Imports a built module in a fresh node process and lists the files matching `sdk` it loaded. */
function sdkFilesLoadedBy(modulePath: string, sdk = PROVIDER_SDKS): string[] {
  const script = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (url) => urls.push(url));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}), import.meta.url, { data: { port: port2 }, transferList: [port2] });
await import(${JSON.stringify(path.join(root, modulePath))});
await new Promise((resolve) => setTimeout(resolve, 50));
const sdk = urls.filter((url) => new RegExp(${JSON.stringify(sdk)}).test(url));
process.stdout.write(JSON.stringify({ total: urls.length, sdk }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  const parsed = JSON.parse(out) as { total: number; sdk: string[] };
  // The hook saw the engine's own modules: an empty SDK list is not a hook that saw nothing.
  expect(parsed.total).toBeGreaterThan(20);
  return parsed.sdk;
}

describe('provider SDKs load on first use', () => {
  it('importing the engine (with the model registry) loads none of @anthropic-ai/sdk, openai, @google/genai', () => {
    expect(sdkFilesLoadedBy('dist/src/engine/create.js')).toEqual([]);
  });

  it('importing the engine loads no MCP client (it comes with the first MCP server a config uses)', () => {
    expect(sdkFilesLoadedBy('dist/src/engine/create.js', MCP_CLIENT)).toEqual([]);
    // The pattern does match the client: the sandbox transport imports it.
    expect(sdkFilesLoadedBy('dist/src/toolsets/mcp/sandbox-transport.js', MCP_CLIENT).length).toBeGreaterThan(
      0,
    );
  });

  it('the hook does see an SDK when something imports it', () => {
    expect(sdkFilesLoadedBy('node_modules/openai/index.mjs').length).toBeGreaterThan(0);
  });
});
