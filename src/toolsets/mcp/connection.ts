import type { Client } from '@modelcontextprotocol/client';
import { abortError } from '../../../tools/lib/errors.js';
import type { ToolResult } from '../../../tools/types.js';
import { RunToolsError } from '../../api/errors.js';
import type { Sandbox } from '../../sandbox/types.js';
import type { McpHttpServer, McpStdioServer } from '../config.js';

/** A server's settings with `{secret}` values already taken from the deployment's secrets. */
export type ResolvedMcpServer =
  | (Omit<McpStdioServer, 'env'> & { env: Record<string, string> })
  | (Omit<McpHttpServer, 'headers'> & { headers: Record<string, string> });

/** One tool an MCP server lists. */
export interface McpTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

const STDERR_TAIL = 2000;

// The MCP client (with its JSON-schema validator) costs more to import than the rest of the server
// start; it is loaded when a config first uses an MCP server, not by every `runtools dev`.
// The sandbox transport imports the client too, so it is loaded with it.
type McpSdk = typeof import('@modelcontextprotocol/client') &
  Pick<typeof import('@modelcontextprotocol/client/stdio'), 'StdioClientTransport'> &
  Pick<typeof import('./sandbox-transport.js'), 'SandboxStdioTransport'>;
let sdkLoading: Promise<McpSdk> | undefined;
function loadSdk(): Promise<McpSdk> {
  sdkLoading ??= Promise.all([
    import('@modelcontextprotocol/client'),
    import('@modelcontextprotocol/client/stdio'),
    import('./sandbox-transport.js'),
  ]).then(([client, stdio, sandbox]) => ({
    ...client,
    StdioClientTransport: stdio.StdioClientTransport,
    SandboxStdioTransport: sandbox.SandboxStdioTransport,
  }));
  return sdkLoading;
}

/**
 * One MCP server, started on first use and shared by every run that uses it. When it dies (a crash,
 * a closed stream) the next call starts it again. `hide` scrubs its secrets from anything it reports.
 */
export class McpConnection {
  private client: Client | undefined;
  private starting: Promise<Client> | undefined;
  private tools: McpTool[] | undefined;
  private stderr = '';
  private closed = false;
  /** Times the server was started (for diagnostics and tests). */
  starts = 0;

  constructor(
    readonly name: string,
    private readonly server: ResolvedMcpServer,
    private readonly hide: (text: string) => string,
    private readonly log: (message: string) => void,
    /** Set for runIn 'sandbox': the run's sandbox, where the server is started. */
    private readonly sandbox?: () => Promise<Sandbox>,
  ) {}

  private get what(): string {
    if ('command' in this.server && this.sandbox)
      return `MCP server "${this.name}" (${this.server.command}, in the run's sandbox)`;
    return 'command' in this.server
      ? `MCP server "${this.name}" (${this.server.command})`
      : `MCP server "${this.name}" (${this.server.url})`;
  }

  /** The connected client, starting the server if it is not running. */
  private connect(signal: AbortSignal): Promise<Client> {
    if (this.closed)
      return Promise.reject(
        new Error(`${this.what} was stopped (the config changed or the server is closing)`),
      );
    if (this.client) return Promise.resolve(this.client);
    this.starting ??= this.start(signal).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async start(signal: AbortSignal): Promise<Client> {
    this.starts++;
    this.stderr = '';
    const { Client, StdioClientTransport, StreamableHTTPClientTransport, SandboxStdioTransport } =
      await loadSdk();
    const client = new Client({ name: 'runtools', version: '0.1.0' });
    const onStderr = (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL);
    };
    const server = this.server;
    const sandbox = this.sandbox;
    const transport =
      'command' in server && sandbox
        ? new SandboxStdioTransport(
            async () =>
              (await sandbox()).spawn([server.command, ...(server.args ?? [])], {
                env: server.env,
                ...(server.cwd ? { cwd: server.cwd } : {}),
              }),
            onStderr,
          )
        : 'command' in this.server
          ? new StdioClientTransport({
              command: this.server.command,
              args: this.server.args ?? [],
              env: this.server.env,
              cwd: this.server.cwd,
              stderr: 'pipe',
            })
          : new StreamableHTTPClientTransport(new URL(this.server.url), {
              requestInit: { headers: this.server.headers },
            });
    if (transport instanceof StdioClientTransport) {
      transport.stderr?.on('data', (chunk: Buffer) => onStderr(chunk.toString('utf8')));
    }
    client.onclose = () => {
      if (this.client === client) {
        this.client = undefined;
        this.tools = undefined;
        if (!this.closed)
          this.log(
            `runtools: ${this.hide(this.what)} stopped${this.stderrNote()}; it starts again on its next call`,
          );
      }
    };
    try {
      await client.connect(transport, { signal, timeout: 30_000 });
    } catch (error) {
      await client.close().catch(() => {});
      if (signal.aborted) throw abortError();
      throw new RunToolsError(
        'unavailable',
        this.hide(
          `${this.what} could not be started: ${describe(error)}${this.stderrNote()}; check its command and args (or url) under tools: in runtools.config.ts`,
        ),
      );
    }
    this.client = client;
    return client;
  }

  private stderrNote(): string {
    const tail = this.stderr.trim().split('\n').slice(-5).join('\n');
    return tail ? ` (its stderr ends: ${this.hide(tail)})` : '';
  }

  /** The server's tools (listed once per start). */
  async listTools(signal: AbortSignal): Promise<McpTool[]> {
    if (this.tools && this.client) return this.tools;
    const client = await this.connect(signal);
    const listed = await client.listTools(undefined, { signal, timeout: 30_000 });
    this.tools = listed.tools.map((tool) => ({
      name: tool.name,
      description: tool.description ?? '',
      inputSchema: tool.inputSchema as Record<string, unknown>,
    }));
    return this.tools;
  }

  /**
   * Calls one tool. A cancel reaches the server (the client sends notifications/cancelled) and is
   * rethrown; a timeout, a server that dies mid-call, or a tool error become results the model reads.
   */
  async call(
    tool: string,
    input: unknown,
    options: { signal: AbortSignal; timeoutMs: number },
  ): Promise<ToolResult> {
    let client: Client;
    try {
      client = await this.connect(options.signal);
    } catch (error) {
      if (options.signal.aborted) throw abortError();
      return { output: (error as Error).message, isError: true };
    }
    const { SdkError, SdkErrorCode } = await loadSdk();
    try {
      const result = await client.callTool(
        { name: tool, arguments: (input ?? {}) as Record<string, unknown> },
        { signal: options.signal, timeout: options.timeoutMs },
      );
      return { output: this.hide(resultText(result)), isError: result.isError === true };
    } catch (error) {
      if (options.signal.aborted) throw abortError();
      if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) {
        return {
          output: `${this.what} did not answer ${tool} within ${options.timeoutMs} ms; the call was cancelled (raise timeoutMs on the toolset if it needs longer)`,
          isError: true,
        };
      }
      if (error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed) {
        return {
          output: this.hide(
            `${this.what} stopped during ${tool}${this.stderrNote()}; it starts again on the next call`,
          ),
          isError: true,
        };
      }
      return { output: this.hide(`${this.what} failed during ${tool}: ${describe(error)}`), isError: true };
    }
  }

  /** Stops the server; calls after this fail. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client ?? (await this.starting?.catch(() => undefined));
    this.client = undefined;
    await client?.close().catch(() => {});
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The text of a tool result: text parts joined; other content described; structured content as JSON. */
function resultText(result: Awaited<ReturnType<Client['callTool']>>): string {
  const content = 'content' in result && Array.isArray(result.content) ? result.content : [];
  const parts = content.map((part) => {
    if (part.type === 'text') return part.text;
    if (part.type === 'resource' && 'text' in part.resource) return String(part.resource.text);
    return `[${part.type} content]`;
  });
  if (parts.length === 0 && 'structuredContent' in result && result.structuredContent !== undefined) {
    return JSON.stringify(result.structuredContent);
  }
  return parts.join('\n') || '(no output)';
}
