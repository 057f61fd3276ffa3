import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { dockerUnreachable, isEngineDown, SandboxError } from './errors.js';

export interface RawExecOptions {
  env?: Record<string, string>;
  cwd?: string;
  stdin?: string | Buffer;
}

export interface RawExecResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

/** Turns a dockerode failure into the typed infrastructure error it is. */
export function infraError(error: unknown, container: string): SandboxError {
  if (error instanceof SandboxError) return error;
  if (isEngineDown(error)) return dockerUnreachable(error);
  const status = (error as { statusCode?: number }).statusCode;
  const message = (error as Error).message ?? String(error);
  if (status === 404 || status === 409) {
    return new SandboxError(
      `the sandbox container ${container.slice(0, 12)} is gone or stopped (${message.trim()}); the run cannot continue in it`,
    );
  }
  return new SandboxError(`docker exec in container ${container.slice(0, 12)} failed: ${message.trim()}`);
}

const envList = (env: Record<string, string> | undefined): string[] | undefined =>
  env ? Object.entries(env).map(([k, v]) => `${k}=${v}`) : undefined;

/** One `docker exec` with stdout and stderr kept apart; the exit code comes from inspecting it. */
export async function rawExec(
  container: Docker.Container,
  cmd: string[],
  options: RawExecOptions = {},
): Promise<RawExecResult> {
  try {
    const exec = await container.exec({
      Cmd: cmd,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: options.stdin !== undefined,
      Env: envList(options.env),
      WorkingDir: options.cwd,
    });
    const stream = await exec.start({
      hijack: options.stdin !== undefined,
      stdin: options.stdin !== undefined,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const out = new PassThrough();
    const err = new PassThrough();
    out.on('data', (b: Buffer) => stdout.push(b));
    err.on('data', (b: Buffer) => stderr.push(b));
    container.modem.demuxStream(stream, out, err);
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    if (options.stdin !== undefined) (stream as NodeJS.WritableStream).end(options.stdin);
    await ended;
    const info = await exec.inspect();
    return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), exitCode: info.ExitCode ?? -1 };
  } catch (error) {
    throw infraError(error, container.id);
  }
}

/** An exec started with stdin, stdout and stderr attached: one multiplexed stream both ways. */
async function attachedExec(
  container: Docker.Container,
  cmd: string[],
  options: { env?: Record<string, string>; cwd?: string },
): Promise<{ exec: Docker.Exec; stream: NodeJS.ReadWriteStream }> {
  const exec = await container.exec({
    Cmd: cmd,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Env: envList(options.env),
    WorkingDir: options.cwd,
  });
  return { exec, stream: (await exec.start({ hijack: true, stdin: true })) as NodeJS.ReadWriteStream };
}

/** A long-lived exec with stdin attached and stdout+stderr merged into one stream. */
export async function interactiveExec(
  container: Docker.Container,
  cmd: string[],
  options: { env?: Record<string, string>; cwd?: string },
): Promise<{ stream: NodeJS.ReadWriteStream; output: PassThrough; exec: Docker.Exec }> {
  try {
    const { exec, stream } = await attachedExec(container, cmd, options);
    const output = new PassThrough();
    container.modem.demuxStream(stream, output, output);
    stream.on('end', () => output.end());
    stream.on('close', () => output.end());
    return { stream, output, exec };
  } catch (error) {
    throw infraError(error, container.id);
  }
}

/**
 * A long-lived exec with stdin attached and stdout and stderr apart, streamed as they come (a stdio
 * MCP server's protocol is on stdout, its log on stderr). `exited` resolves with the exit code once
 * its output ends.
 */
export async function streamingExec(
  container: Docker.Container,
  cmd: string[],
  options: { env?: Record<string, string>; cwd?: string },
): Promise<{
  stdin: NodeJS.WritableStream;
  stdout: PassThrough;
  stderr: PassThrough;
  exited: Promise<number | null>;
}> {
  try {
    const { exec, stream } = await attachedExec(container, cmd, options);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    container.modem.demuxStream(stream, stdout, stderr);
    const exited = new Promise<number | null>((resolve) => {
      const done = () => {
        stdout.end();
        stderr.end();
        exec.inspect().then(
          (info) => resolve(info.ExitCode ?? null),
          () => resolve(null),
        );
      };
      stream.once('end', done);
      stream.once('close', done);
      stream.once('error', done);
    });
    return { stdin: stream, stdout, stderr, exited };
  } catch (error) {
    throw infraError(error, container.id);
  }
}
