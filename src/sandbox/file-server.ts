import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { infraError, rawExec } from './docker-exec.js';
import { BASH_FILE_SERVER, NODE_FILE_SERVER } from './file-server-script.js';

export type FileServerOp = 'read' | 'write' | 'stat' | 'list' | 'realpath';

/** A file operation the container refused (ENOENT, ENOTREG, EROFS, ...): the agent's files, not the sandbox's health. */
export class ContainerFileError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ContainerFileError';
  }
}

export interface FileServerOptions {
  /** Use the bash server even when the image has node (tests both). */
  forceBash?: boolean;
  /** A request taking longer is abandoned and the server restarted (a FIFO swapped in mid-read). */
  timeoutMs?: number;
}

/** Everything the server says is from inside the container, so framing is checked and capped. */
const MAX_HEADER = 64;
const MAX_PAYLOAD = 256 * 1024 * 1024;

interface Frame {
  status: string;
  payload: Buffer;
}

/** Splits the server's stdout into `<status>\t<n>\n<n bytes>` frames. */
class FrameReader {
  private chunks: Buffer[] = [];
  private have = 0;
  private waiting: { resolve: (line: Buffer | Frame) => void; reject: (e: Error) => void } | undefined;
  private want: { kind: 'line' } | { kind: 'frame' } = { kind: 'frame' };
  private header: { status: string; n: number } | undefined;
  private failed: Error | undefined;

  constructor(stream: NodeJS.ReadableStream) {
    stream.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.have += chunk.length;
      this.pump();
    });
    const end = () =>
      this.fail(new ContainerFileError('EPIPE', 'the file server in the container stopped', ''));
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', end);
  }

  fail(error: Error): void {
    this.failed ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.failed);
  }

  line(): Promise<Buffer> {
    this.want = { kind: 'line' };
    return this.wait() as Promise<Buffer>;
  }

  frame(): Promise<Frame> {
    this.want = { kind: 'frame' };
    return this.wait() as Promise<Frame>;
  }

  private wait(): Promise<Buffer | Frame> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.pump();
    });
  }

  private flat(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.have)];
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    const all = this.flat();
    this.chunks = [all.subarray(n)];
    this.have -= n;
    return all.subarray(0, n);
  }

  private pump(): void {
    if (!this.waiting) return;
    if (this.want.kind === 'line' || !this.header) {
      const all = this.flat();
      const nl = all.indexOf(10);
      if (nl < 0) {
        if (this.have > 4096) this.fail(new Error('the file server sent a line too long'));
        return;
      }
      const line = this.take(nl + 1).subarray(0, nl);
      if (this.want.kind === 'line') {
        this.deliver(line);
        return;
      }
      const [status = '', n = ''] = line.toString('utf8').split('\t');
      const size = Number(n);
      if (line.length > MAX_HEADER || !/^\d+$/.test(n) || size > MAX_PAYLOAD) {
        this.fail(new Error(`the file server sent a malformed header (${line.subarray(0, 40)})`));
        return;
      }
      this.header = { status, n: size };
    }
    if (this.have < this.header.n) return;
    const frame = { status: this.header.status, payload: Buffer.from(this.take(this.header.n)) };
    this.header = undefined;
    this.deliver(frame);
  }

  private deliver(value: Buffer | Frame): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve(value);
  }
}

interface Session {
  stream: NodeJS.ReadWriteStream;
  reader: FrameReader;
  mode: 'node' | 'bash';
  pid: string;
}

/**
 * One long-lived file server per container (see file-server-script.ts), started with it. Requests
 * go one at a time; one that hangs (a FIFO swapped in between the server's check and its open) is
 * abandoned after `timeoutMs`, the server killed and started again on the next request.
 */
export class ContainerFileServer {
  private session: Promise<Session> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly timeoutMs: number;

  constructor(
    private readonly container: Docker.Container,
    private readonly options: FileServerOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** Starts the server now (the factory calls it as the container starts), so the first read is fast. */
  warm(): void {
    void this.current().catch(() => {});
  }

  /** Which server runs: `node` when the image has it, else `bash`. */
  async mode(): Promise<'node' | 'bash'> {
    return (await this.current()).mode;
  }

  request(op: FileServerOp, p: string, n = 0, body?: Buffer): Promise<Buffer> {
    if (/[\n\0]/.test(p)) {
      return Promise.reject(
        new ContainerFileError('EINVAL', `the path ${JSON.stringify(p)} has a line break or NUL in it`, p),
      );
    }
    const run = this.queue.then(() => this.attempt(op, p, n, body, true));
    this.queue = run.catch(() => {});
    return run;
  }

  close(): void {
    this.closed = true;
    void this.session?.then((s) => s.stream.end()).catch(() => {});
    this.session = undefined;
  }

  private async attempt(
    op: FileServerOp,
    p: string,
    n: number,
    body: Buffer | undefined,
    retry: boolean,
  ): Promise<Buffer> {
    const session = await this.current();
    let timer: NodeJS.Timeout | undefined;
    try {
      session.stream.write(`${op}\t${n}\t${p}\n`);
      if (body && body.length > 0) session.stream.write(body);
      const frame = await Promise.race([
        session.reader.frame(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(
              new ContainerFileError(
                'ETIMEDOUT',
                `${op} of ${p} took over ${this.timeoutMs / 1000} s inside the container (a FIFO or a device?); abandoned`,
                p,
              ),
            );
          }, this.timeoutMs);
        }),
      ]);
      const payload =
        session.mode === 'bash' ? Buffer.from(frame.payload.toString('latin1'), 'base64') : frame.payload;
      if (frame.status !== 'ok')
        throw new ContainerFileError(frame.status, payload.toString('utf8').trim(), p);
      return payload;
    } catch (error) {
      if (error instanceof ContainerFileError && error.code !== 'ETIMEDOUT' && error.code !== 'EPIPE')
        throw error;
      // The server hung or died (an agent can kill it: it runs as the agent's user): start a new one.
      await this.restart(session);
      if (retry && !(error instanceof ContainerFileError && error.code === 'ETIMEDOUT')) {
        return this.attempt(op, p, n, body, false);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async restart(session: Session): Promise<void> {
    session.reader.fail(new ContainerFileError('EPIPE', 'the file server was restarted', ''));
    session.stream.end();
    (session.stream as unknown as { destroy?: () => void }).destroy?.();
    this.session = undefined;
    await rawExec(this.container, ['kill', '-KILL', session.pid]).catch(() => {});
  }

  private current(): Promise<Session> {
    if (this.closed) return Promise.reject(new ContainerFileError('EPIPE', 'the sandbox is disposed', ''));
    this.session ??= this.start().catch((error: unknown) => {
      this.session = undefined;
      throw error;
    });
    return this.session;
  }

  private async start(): Promise<Session> {
    let stream: NodeJS.ReadWriteStream;
    try {
      const exec = await this.container.exec({
        Cmd: ['bash', '-c', BASH_FILE_SERVER, 'runtools-fs', NODE_FILE_SERVER],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Env: this.options.forceBash ? ['RUNTOOLS_FS=bash'] : [],
      });
      stream = (await exec.start({ hijack: true, stdin: true })) as NodeJS.ReadWriteStream;
    } catch (error) {
      throw infraError(error, this.container.id);
    }
    const stdout = new PassThrough();
    // stderr is dropped: the protocol is on stdout only.
    this.container.modem.demuxStream(stream, stdout, new PassThrough().resume());
    stream.on('end', () => stdout.end());
    stream.on('close', () => stdout.end());
    stream.on('error', () => stdout.end());
    const reader = new FrameReader(stdout);
    const hello = (await reader.line()).toString('utf8');
    const match = /^runtools-fs 1 (node|bash) (\d+)$/.exec(hello);
    if (!match)
      throw new ContainerFileError('EPROTO', `the file server did not start (${hello.slice(0, 80)})`, '');
    return { stream, reader, mode: match[1] as 'node' | 'bash', pid: match[2]! };
  }
}
