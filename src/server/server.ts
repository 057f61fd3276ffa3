import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { RunToolsApi } from '../api/contract.js';
import { RunToolsError } from '../api/errors.js';
import { isAuthorized, isLoopbackHost } from './auth.js';
import { type Listener, listen } from './listener.js';
import { openApiDocument } from './openapi.js';
import type { PromptFileWriter } from './prompt-file.js';
import { HANDLED, type Router } from './router.js';
import { createRoutes } from './routes.js';
import { defaultStudioDir, SECURITY_HEADERS, serveStatic } from './static.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ServerOptions {
  api: RunToolsApi;
  key: string;
  host?: string;
  port?: number;
  /** Host names besides the loopback ones that may address this server. */
  allowedHosts?: string[];
  /** Where clients find the key, for the 401 message: a file path, or how the server got it. */
  keyHint?: string;
  /** Where unexpected errors are reported (never with secret values: those are redacted upstream). */
  log?: (message: string) => void;
  /** The built studio served at `/` (default: the package's dist/studio; null serves none). */
  studioDir?: string | null;
  /** Writes prompts back to runtools.config.ts's prompt files (`runtools dev` with a config). */
  promptFiles?: PromptFileWriter;
  /** A port opened earlier (`runtools dev` opens it first): serve there instead of host and port. */
  listener?: Listener;
}

export interface RunningServer {
  url: string;
  server: Server;
  /** Stops listening; open requests get `graceMs` to finish before they are cut. */
  close(graceMs?: number): Promise<void>;
}

/** Starts the HTTP API. Loopback by default; every request needs the key and a loopback Host. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const router = createRoutes(options.api, { promptFiles: options.promptFiles });
  const studioDir = options.studioDir === undefined ? defaultStudioDir() : (options.studioDir ?? undefined);
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const listener = options.listener ?? (await listen(options.host ?? '127.0.0.1', options.port ?? 4400));
  const server = listener.server;
  listener.serve((req, res) => {
    handle(router, { ...options, studioDir }, req, res).catch((error: unknown) => {
      log(
        `runtools: request ${req.method} ${req.url} failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!res.headersSent)
        sendError(res, new RunToolsError('internal', 'internal error; see the server log'));
      else res.end();
    });
  });
  return {
    url: listener.url,
    server,
    close: (graceMs = 0) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streams of runs that just ended finish their last event and end on their own.
        server.closeIdleConnections();
        if (graceMs === 0) server.closeAllConnections();
        else setTimeout(() => server.closeAllConnections(), graceMs).unref();
      }),
  };
}

async function handle(router: Router, options: ServerOptions, req: IncomingMessage, res: ServerResponse) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  try {
    if (!isLoopbackHost(req.headers.host, options.allowedHosts)) {
      throw new RunToolsError(
        'forbidden',
        `Host "${req.headers.host ?? ''}" is not a loopback name; runtools only answers requests addressed to localhost or 127.0.0.1 (start it with --allow-host NAME to add one)`,
      );
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/v1/')) {
      await servePublic(options, req, url.pathname, res);
      return;
    }
    const matched = router.match(req.method ?? 'GET', url.pathname);
    if (!matched)
      throw new RunToolsError(
        'not_found',
        `no route ${req.method} ${url.pathname}; see the README's API section`,
      );
    if ('allowed' in matched) {
      throw new RunToolsError(
        'invalid_request',
        `${req.method} is not allowed on ${url.pathname}; use ${matched.allowed.join(' or ')}`,
        undefined,
        405,
      );
    }
    if (url.pathname !== '/v1/health' && !isAuthorized(req, options.key)) {
      throw new RunToolsError(
        'unauthorized',
        `missing or wrong API key: send "Authorization: Bearer <key>" with ${options.keyHint ?? 'RUNTOOLS_API_KEY or the key in .runtools/api-key'}`,
      );
    }
    const result = await matched.route.handler({
      req,
      res,
      params: matched.params,
      query: url.searchParams,
      body: () => readJson(req),
    });
    if (result === HANDLED) return;
    if (result === undefined) {
      res.writeHead(204).end();
      return;
    }
    const json = JSON.stringify(result);
    res.writeHead(matched.route.status, { 'content-type': 'application/json; charset=utf-8' }).end(json);
  } catch (error) {
    if (!(error instanceof RunToolsError)) throw error;
    if (res.headersSent) {
      res.end();
      return;
    }
    sendError(res, error);
  }
}

/** Outside /v1 only public things live: the studio's files and the API description; no key needed. */
async function servePublic(
  options: ServerOptions,
  req: IncomingMessage,
  pathname: string,
  res: ServerResponse,
) {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    throw new RunToolsError(
      'invalid_request',
      `${req.method} is not allowed on ${pathname}; use GET`,
      undefined,
      405,
    );
  if (pathname === '/openapi.json') {
    res
      .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify(openApiDocument()));
    return;
  }
  if (options.studioDir && (await serveStatic(options.studioDir, pathname, res))) return;
  if (!options.studioDir && pathname === '/')
    throw new RunToolsError(
      'not_found',
      'the studio is not built into this package (no dist/studio); run "npm run build", then reload',
    );
  throw new RunToolsError('not_found', `no route GET ${pathname}; the API is under /v1 (see /openapi.json)`);
}

function sendError(res: ServerResponse, error: RunToolsError): void {
  res
    .writeHead(error.status, { 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(error.toJSON()));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new RunToolsError('invalid_request', 'request body is over 10 MiB', undefined, 413);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  if (!isJsonType(req.headers['content-type'])) {
    throw new RunToolsError(
      'invalid_request',
      `request body sent as "${req.headers['content-type'] ?? 'no content type'}"; send JSON with "Content-Type: application/json"`,
      undefined,
      415,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RunToolsError(
      'invalid_request',
      `request body is not valid JSON (${(error as Error).message}); send a JSON object`,
    );
  }
}

/** `application/json`, or any `+json` type, with or without parameters such as charset. */
function isJsonType(header: string | undefined): boolean {
  const type = header?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}
