import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { dockerUnreachable, isEngineDown, TemplateBuildError } from './errors.js';
import { tarOf } from './tar.js';
import { readContext, type Template } from './templates.js';

/** One line of a build: a Dockerfile step starting, or output of the current step. */
export type BuildProgress =
  | { type: 'step'; step: string; index: number; total: number }
  | { type: 'output'; text: string }
  | { type: 'cached'; image: string }
  | { type: 'done'; image: string };

export interface BuildOptions {
  onProgress?: (progress: BuildProgress) => void;
  /** Build even when an image with the tag exists (to pick up newer packages from apt). */
  force?: boolean;
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Builds in flight, so two runs starting together wait for one build. */
const inFlight = new Map<string, Promise<string>>();

export async function imageExists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if (isEngineDown(error)) throw dockerUnreachable(error);
    return false;
  }
}

/**
 * The template's image tag, building it first when no image has that tag. The tag is a hash of the
 * folder's contents, so an unchanged template is never rebuilt and a changed one always is.
 */
export async function ensureImage(
  docker: Docker,
  template: Template,
  options: BuildOptions = {},
): Promise<string> {
  if (!options.force && (await imageExists(docker, template.image))) {
    options.onProgress?.({ type: 'cached', image: template.image });
    return template.image;
  }
  const running = inFlight.get(template.image);
  if (running) return running;
  const build = buildImage(docker, template, options).finally(() => inFlight.delete(template.image));
  inFlight.set(template.image, build);
  return build;
}

async function buildImage(docker: Docker, template: Template, options: BuildOptions): Promise<string> {
  let stream: NodeJS.ReadableStream;
  try {
    // The context is packed from bytes read by the host-side rule, never by following the folder.
    const context = Readable.from([tarOf(readContext(template.dir))]);
    stream = await docker.buildImage(context, {
      t: template.image,
      labels: { runtools: '1', 'runtools.template': template.slug },
      rm: true,
      forcerm: true,
    });
  } catch (error) {
    if (isEngineDown(error)) throw dockerUnreachable(error);
    throw new TemplateBuildError(template.slug, null, (error as Error).message);
  }
  let step: string | null = null;
  let stepOutput: string[] = [];
  let failure: string | null = null;
  const onEvent = (event: BuildEvent) => {
    if (event.error) {
      failure = event.errorDetail?.message ?? event.error;
      return;
    }
    if (!event.stream) return;
    for (const line of event.stream.split('\n')) {
      const match = /^Step (\d+)\/(\d+) : (.*)$/.exec(line);
      if (match) {
        step = `step ${match[1]}/${match[2]} (${match[3]})`;
        stepOutput = [];
        options.onProgress?.({
          type: 'step',
          step: match[3]!,
          index: Number(match[1]),
          total: Number(match[2]),
        });
      } else if (line.trim()) {
        stepOutput.push(line);
        options.onProgress?.({ type: 'output', text: line });
      }
    }
  };
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      onEvent,
    );
  }).catch((error: unknown) => {
    if (isEngineDown(error)) throw dockerUnreachable(error);
    failure ??= (error as Error).message;
  });
  if (failure) throw new TemplateBuildError(template.slug, step, [...stepOutput, failure].join('\n'));
  options.onProgress?.({ type: 'done', image: template.image });
  return template.image;
}
