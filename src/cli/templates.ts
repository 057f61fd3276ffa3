import path from 'node:path';
import { Command } from 'commander';
import type Docker from 'dockerode';
import pc from 'picocolors';
import { packageRoot } from '../config/paths.js';
import { dockerUnreachable } from '../sandbox/errors.js';
import { type BuildProgress, ensureImage, imageExists } from '../sandbox/template-build.js';
import { TemplateRegistry } from '../sandbox/templates.js';

export interface TemplatesCommandContext {
  /** The project folder; its `templates/` comes before the shipped ones. */
  projectDir: () => string;
  docker?: Docker;
  out?: (line: string) => void;
}

/** The registry the server uses too: the project's templates first, then the shipped ones. */
export function projectTemplates(projectDir: string): TemplateRegistry {
  const shipped = path.join(packageRoot(), 'templates');
  const project = path.join(path.resolve(projectDir), 'templates');
  // Inside runtools' own repository the project's templates are the shipped ones.
  return new TemplateRegistry(project === shipped ? [shipped] : [project, shipped]);
}

/** Prints a build as it streams: each Dockerfile step, then its output dimmed. */
export function printBuildProgress(out: (line: string) => void): (p: BuildProgress) => void {
  return (p) => {
    if (p.type === 'step') out(pc.bold(`step ${p.index}/${p.total}: ${p.step}`));
    else if (p.type === 'output') out(pc.dim(`  ${p.text.replace(/\r/g, '')}`));
    else if (p.type === 'cached') out(`${p.image} is built (unchanged template)`);
    else out(pc.green(`built ${p.image}`));
  };
}

/** `runtools templates list` and `runtools templates build [slug]`. */
export function templatesCommand(ctx: TemplatesCommandContext): Command {
  const out = ctx.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  // dockerode loads when a templates command runs, not with every CLI start.
  const docker = async (): Promise<Docker> => ctx.docker ?? new (await import('dockerode')).default();
  const command = new Command('templates').description('container templates runs execute in');

  command
    .command('list')
    .description('list templates (project ones first) and whether their current image is built')
    .action(async () => {
      const registry = projectTemplates(ctx.projectDir());
      const d = await docker();
      let reachable = true;
      await registry
        .refreshBuilt((image) => imageExists(d, image))
        .catch(() => {
          reachable = false;
        });
      for (const t of registry.list()) {
        const state = !reachable
          ? pc.yellow('docker unreachable')
          : t.built
            ? pc.green('built')
            : pc.dim('not built');
        out(
          `${pc.bold(t.slug)}  ${t.source}  ${t.image}  ${state}\n  ${t.description}${t.ports.length ? `\n  ports: ${t.ports.join(', ')}` : ''}`,
        );
      }
    });

  command
    .command('build [slug]')
    .description('build the image of one template, or of all; unchanged templates are not rebuilt')
    .action(async (slug: string | undefined) => {
      const registry = projectTemplates(ctx.projectDir());
      const d = await docker();
      await d.ping().catch((error: unknown) => {
        throw dockerUnreachable(error);
      });
      const templates = slug ? [registry.get(slug)] : registry.templates();
      for (const t of templates) {
        out(pc.cyan(`${t.slug} (${t.source}, ${t.dir})`));
        await ensureImage(d, t, { onProgress: printBuildProgress(out) });
      }
    });

  return command;
}
