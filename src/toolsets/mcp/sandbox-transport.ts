import {
  type JSONRPCMessage,
  ReadBuffer,
  serializeMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import type { SandboxProcess } from '../../sandbox/types.js';

/**
 * The MCP stdio transport over a process in the run's sandbox (`Sandbox.spawn`): newline-delimited
 * JSON-RPC on its stdin and stdout, as StdioClientTransport does with a host child process.
 */
export class SandboxStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly buffer = new ReadBuffer();
  private process: SandboxProcess | undefined;

  constructor(
    private readonly start_: () => Promise<SandboxProcess>,
    private readonly onStderr: (chunk: string) => void,
  ) {}

  async start(): Promise<void> {
    const process = await this.start_();
    this.process = process;
    process.stdout.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.buffer.readMessage();
        } catch (error) {
          this.onerror?.(error as Error);
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
    process.stderr.on('data', (chunk: Buffer) => this.onStderr(chunk.toString('utf8')));
    void process.exited.then(() => {
      this.buffer.clear();
      this.onclose?.();
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.process) throw new Error('the MCP server in the sandbox is not started');
    this.process.stdin.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.process?.kill();
  }
}
