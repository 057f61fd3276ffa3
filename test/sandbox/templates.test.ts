import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { TemplateBuildError } from '../../src/sandbox/errors.js';
import { type BuildProgress, ensureImage, imageExists } from '../../src/sandbox/template-build.js';
import { TemplateRegistry } from '../../src/sandbox/templates.js';
import { describeDocker, SHIPPED_TEMPLATES } from '../helpers/docker.js';
import { tempDir } from '../helpers/tmp.js';

describe('template registry', () => {
  it('ships nodejs-20, python-3.12 and base, each with a description, workdir and ports', () => {
    const list = new TemplateRegistry([SHIPPED_TEMPLATES]).list();
    expect(list.map((t) => t.slug)).toEqual(['base', 'nodejs-20', 'python-3.12']);
    for (const t of list) {
      expect(t).toMatchObject({
        workdir: '/workspace',
        source: 'builtin',
        image: expect.stringMatching(new RegExp(`^runtools/${t.slug}:[0-9a-f]{12}$`)),
      });
      expect(t.description).not.toBe('');
    }
    expect(list.find((t) => t.slug === 'nodejs-20')?.ports).toContain(3000);
    // No Python 3.12 is reachable offline: the template says what it really has.
    expect(list.find((t) => t.slug === 'python-3.12')?.description).toMatch(/3\.11, not 3\.12/);
  });

  it('project templates come first and replace shipped ones of the same slug', () => {
    const project = tempDir();
    mkdirSync(path.join(project.dir, 'nodejs-20'));
    writeFileSync(path.join(project.dir, 'nodejs-20', 'Dockerfile'), 'FROM node:20-bookworm-slim\n');
    writeFileSync(
      path.join(project.dir, 'nodejs-20', 'template.json'),
      '{"description":"mine","ports":[9000]}',
    );
    mkdirSync(path.join(project.dir, 'not-a-template'));
    const registry = new TemplateRegistry([project.dir, SHIPPED_TEMPLATES]);
    const node = registry.get('nodejs-20');
    expect(node).toMatchObject({
      source: 'project',
      description: 'mine',
      ports: [9000],
      dir: path.join(project.dir, 'nodejs-20'),
    });
    expect(registry.get('base').source).toBe('builtin');
    expect(registry.list().map((t) => t.slug)).toEqual(['base', 'nodejs-20', 'python-3.12']);
    expect(() => registry.get('nope')).toThrow(
      /template 'nope' not found; known templates: base, nodejs-20, python-3.12/,
    );
    project.cleanup();
  });

  it('the tag is a hash of the folder contents: same contents same tag, any change a new tag', () => {
    const dir = tempDir();
    cpSync(path.join(SHIPPED_TEMPLATES, 'base'), path.join(dir.dir, 'base'), { recursive: true });
    const registry = new TemplateRegistry([dir.dir]);
    const first = registry.get('base').image;
    expect(registry.get('base').image).toBe(first);
    expect(first).toBe(new TemplateRegistry([SHIPPED_TEMPLATES]).get('base').image);
    writeFileSync(path.join(dir.dir, 'base', 'extra.sh'), 'echo hi\n');
    expect(registry.get('base').image).not.toBe(first);
    dir.cleanup();
  });
});

describeDocker('template images', () => {
  const docker = new Docker();
  const made: string[] = [];
  afterAll(async () => {
    for (const image of made)
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => {});
  });

  it('builds on demand with streamed steps, then reuses the image; a changed template is rebuilt', async () => {
    const dir = tempDir();
    const folder = path.join(dir.dir, 'tiny');
    mkdirSync(folder);
    writeFileSync(
      path.join(folder, 'Dockerfile'),
      `FROM debian:bookworm-slim\nRUN echo built-${Date.now()} > /stamp\n`,
    );
    const registry = new TemplateRegistry([dir.dir]);
    const progress: BuildProgress[] = [];
    const image = await ensureImage(docker, registry.get('tiny'), { onProgress: (p) => progress.push(p) });
    made.push(image);
    // The Dockerfile's steps, then the labels the build adds (the legacy builder shows them as steps).
    expect(progress.filter((p) => p.type === 'step').map((p) => p.type === 'step' && p.step)).toEqual([
      'FROM debian:bookworm-slim',
      expect.stringMatching(/^RUN echo built-/),
      expect.stringMatching(/^LABEL runtools/),
      expect.stringMatching(/^LABEL runtools/),
    ]);
    expect(progress.at(-1)).toEqual({ type: 'done', image });
    expect(await imageExists(docker, image)).toBe(true);

    const again: BuildProgress[] = [];
    expect(await ensureImage(docker, registry.get('tiny'), { onProgress: (p) => again.push(p) })).toBe(image);
    expect(again).toEqual([{ type: 'cached', image }]);

    writeFileSync(
      path.join(folder, 'Dockerfile'),
      `FROM debian:bookworm-slim\nRUN echo changed-${Date.now()} > /stamp\n`,
    );
    const rebuilt: BuildProgress[] = [];
    const second = await ensureImage(docker, registry.get('tiny'), { onProgress: (p) => rebuilt.push(p) });
    made.push(second);
    expect(second).not.toBe(image);
    expect(rebuilt.some((p) => p.type === 'step')).toBe(true);
    dir.cleanup();
  });

  it('a failing build names the step that failed and shows its output', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir.dir, 'broken'));
    writeFileSync(
      path.join(dir.dir, 'broken', 'Dockerfile'),
      'FROM debian:bookworm-slim\nRUN echo fine\nRUN echo "about to fail" && exit 7\n',
    );
    const error = await ensureImage(docker, new TemplateRegistry([dir.dir]).get('broken')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TemplateBuildError);
    expect((error as TemplateBuildError).step).toMatch(/^step 3\/\d \(RUN echo "about to fail" && exit 7\)$/);
    expect((error as Error).message).toMatch(/template 'broken' failed to build at step 3\//);
    expect((error as TemplateBuildError).output).toMatch(/about to fail[\s\S]*returned a non-zero code: 7/);
    dir.cleanup();
  });

  it('the shipped templates have bash, ripgrep and git', async () => {
    const registry = new TemplateRegistry([SHIPPED_TEMPLATES]);
    for (const slug of ['base', 'nodejs-20', 'python-3.12']) {
      const image = await ensureImage(docker, registry.get(slug));
      const container = await docker.createContainer({
        Image: image,
        Entrypoint: ['bash', '-c'],
        Cmd: ['rg --version | head -1; git --version; (node --version || python3 --version) 2>/dev/null'],
        Labels: { runtools: '1' },
      });
      await container.start();
      await container.wait();
      const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      await container.remove({ force: true });
      expect(logs).toMatch(/ripgrep \d+/);
      expect(logs).toMatch(/git version/);
      if (slug === 'nodejs-20') expect(logs).toMatch(/v20\./);
      if (slug === 'python-3.12') expect(logs).toMatch(/Python 3\.11/);
    }
  }, 600_000);
});
