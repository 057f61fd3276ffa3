import { RunToolsError } from '../api/errors.js';

/**
 * The sandbox itself failed (the container died, the Docker engine is gone), as opposed to a
 * command that failed inside it. Tools rethrow it so the engine fails the run instead of handing
 * the model an error it cannot fix.
 */
export class SandboxError extends RunToolsError {
  constructor(message: string, details?: unknown) {
    super('unavailable', message, details);
    this.name = 'SandboxError';
  }

  static override is(value: unknown): value is SandboxError {
    return value instanceof SandboxError;
  }
}

/** A template image that did not build: names the Dockerfile step that failed and its output. */
export class TemplateBuildError extends SandboxError {
  readonly step: string | null;
  readonly output: string;

  constructor(slug: string, step: string | null, output: string) {
    const tail = output.split('\n').slice(-30).join('\n').trim();
    super(
      `template '${slug}' failed to build${step ? ` at ${step}` : ''}; fix templates/${slug}/Dockerfile and run "runtools templates build ${slug}"\n${tail}`,
      { slug, step, output: tail },
    );
    this.name = 'TemplateBuildError';
    this.step = step;
    this.output = output;
  }
}

/** What to do when no Docker engine answers. */
export function dockerUnreachable(cause: unknown): SandboxError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new SandboxError(
    `the Docker engine is not reachable (${reason}). Start Docker (Docker Desktop, or "sudo dockerd" on Linux, or "npx runtools setup" on a Debian machine, online or not), or pick the local sandbox: sandbox: 'local' in the deployment, or "runtools dev --sandbox local"`,
    { reason },
  );
}

/** True for errors that mean the engine itself is gone (socket refused, missing). */
export function isEngineDown(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES' || code === 'ECONNRESET';
}
