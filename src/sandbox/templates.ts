import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { notFound } from '../api/errors.js';
import type { TemplateData } from '../api/types.js';
import { readDirNoFollowSync, readRegularFileNoFollowSync } from './safe-fs.js';
import type { TarFile } from './tar.js';

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

/** Caps on a template folder: it is a build context, not a project. */
const MAX_CONTEXT_FILES = 1_000;
const MAX_CONTEXT_BYTES = 64 * 1024 * 1024;
const MAX_CONTEXT_DEPTH = 16;

function readTemplate(dir: string, slug: string, source: Template['source']): Template | null {
  let files: TarFile[];
  try {
    files = readContext(dir);
  } catch {
    return null;
  }
  if (!files.some((f) => f.name === 'Dockerfile')) return null;
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file.name}\0`);
    hash.update(file.data);
    hash.update('\0');
  }
  const digest = hash.digest('hex').slice(0, 12);
  let meta: TemplateJson = {};
  try {
    meta = JSON.parse(
      files.find((f) => f.name === 'template.json')?.data.toString('utf8') ?? '{}',
    ) as TemplateJson;
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
    files: files.map((f) => f.name),
    hash: digest,
    image: `runtools/${slug}:${digest}`,
  };
}

/**
 * A template folder's regular files, read by the host-side rule (safe-fs.ts): symlinks, FIFOs,
 * sockets and devices are left out, never opened; the folder is capped in files, bytes and depth.
 * The build sends exactly these bytes, so the image matches its hash.
 */
export function readContext(dir: string): TarFile[] {
  const out: TarFile[] = [];
  let bytes = 0;
  const visit = (prefix: string, depth: number) => {
    if (depth > MAX_CONTEXT_DEPTH) throw new Error(`${dir}: folders nested deeper than ${MAX_CONTEXT_DEPTH}`);
    const entries = readDirNoFollowSync(prefix ? path.join(dir, prefix) : dir);
    if (!entries) return;
    for (const entry of entries) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(rel, depth + 1);
      else if (entry.isFile()) {
        const file = readRegularFileNoFollowSync(path.join(dir, rel), MAX_CONTEXT_BYTES - bytes);
        bytes += file.data.length;
        out.push({ name: rel, data: file.data, mode: file.mode });
        if (out.length > MAX_CONTEXT_FILES) throw new Error(`${dir}: over ${MAX_CONTEXT_FILES} files`);
      }
    }
  };
  visit('', 0);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
