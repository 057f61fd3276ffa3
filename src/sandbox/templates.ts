import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { notFound } from '../api/errors.js';
import type { TemplateData } from '../api/types.js';

/** One template folder: a Dockerfile and a template.json. */
export interface Template {
  slug: string;
  dir: string;
  description: string;
  workdir: string;
  /** Ports a dev server in it is likely to use; published to loopback on the host. */
  ports: number[];
  source: 'project' | 'builtin';
  /** Every file of the folder, relative, sorted: the build context. */
  files: string[];
  /** First 12 hex digits of the sha256 of the folder's files: same contents, same image. */
  hash: string;
  /** `runtools/<slug>:<hash>` */
  image: string;
}

interface TemplateJson {
  description?: string;
  workdir?: string;
  ports?: number[];
}

/**
 * Reads template folders from a list of directories, first one wins: the project's `templates/`
 * comes before the shipped ones, so a project can replace a shipped template by using its slug.
 * Contents are read fresh on each call, so an edited Dockerfile gets a new hash at once.
 */
export class TemplateRegistry {
  /** Image tags known to exist; filled by builds and `refreshBuilt`. */
  private readonly built = new Set<string>();

  constructor(
    readonly dirs: readonly string[],
    /** Index in `dirs` from which folders count as shipped; before it they are the project's. */
    private readonly builtinFrom = dirs.length > 1 ? 1 : 0,
  ) {}

  /** Every template, project ones first, shadowed slugs left out. */
  templates(): Template[] {
    const seen = new Map<string, Template>();
    for (const [index, dir] of this.dirs.entries()) {
      for (const slug of subfolders(dir)) {
        if (seen.has(slug)) continue;
        const template = readTemplate(
          path.join(dir, slug),
          slug,
          index < this.builtinFrom ? 'project' : 'builtin',
        );
        if (template) seen.set(slug, template);
      }
    }
    return [...seen.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  }

  get(slug: string): Template {
    const template = this.templates().find((t) => t.slug === slug);
    if (!template) {
      const known = this.templates().map((t) => t.slug);
      throw notFound(
        `template '${slug}' not found; known templates: ${known.join(', ') || 'none'} (add a folder templates/${slug}/ with a Dockerfile and a template.json)`,
      );
    }
    return template;
  }

  /** The API's view; `built` reflects what this process has seen (see `refreshBuilt`). */
  list(): TemplateData[] {
    return this.templates().map((t) => ({
      slug: t.slug,
      description: t.description,
      workdir: t.workdir,
      ports: t.ports,
      source: t.source,
      image: t.image,
      built: this.built.has(t.image),
    }));
  }

  markBuilt(image: string): void {
    this.built.add(image);
  }

  /** Asks `exists` for every current image tag, so `list()` can say which are built. */
  async refreshBuilt(exists: (image: string) => Promise<boolean>): Promise<void> {
    for (const t of this.templates()) {
      if (await exists(t.image)) this.built.add(t.image);
      else this.built.delete(t.image);
    }
  }
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

function readTemplate(dir: string, slug: string, source: Template['source']): Template | null {
  let files: string[];
  try {
    statSync(path.join(dir, 'Dockerfile'));
    files = listFiles(dir);
  } catch {
    return null;
  }
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(dir, file)));
    hash.update('\0');
  }
  const digest = hash.digest('hex').slice(0, 12);
  let meta: TemplateJson = {};
  try {
    meta = JSON.parse(readFileSync(path.join(dir, 'template.json'), 'utf8')) as TemplateJson;
  } catch {
    // A template without (or with a broken) template.json still builds; it gets the defaults.
  }
  return {
    slug,
    dir,
    description: meta.description ?? '',
    workdir: meta.workdir ?? '/workspace',
    ports: Array.isArray(meta.ports) ? meta.ports.filter((p) => Number.isInteger(p)) : [],
    source,
    files,
    hash: digest,
    image: `runtools/${slug}:${digest}`,
  };
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}
