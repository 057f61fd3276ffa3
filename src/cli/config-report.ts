import pc from 'picocolors';
import type { RuntimeVersion } from '../api/types.js';
import type { SyncNote } from '../config/sync.js';
import { colorDiff, diffVersions } from './version-diff.js';

/** True for notes a person must act on (clashes, failures), as opposed to news. */
export const isProblem = (note: SyncNote): boolean => note.kind === 'clash' || note.kind === 'failed';

/** One note as the lines the dev loop prints; a new version comes with its diff. */
export function formatNote(note: SyncNote, color: boolean): string {
  const paint = (f: (s: string) => string, s: string) => (color ? f(s) : s);
  switch (note.kind) {
    case 'created':
      return `  ${paint(pc.green, '+')} ${note.what} ${paint(pc.bold, note.slug)} created${note.version ? ` (v${note.version})` : ''}`;
    case 'versioned': {
      const head = `  ${paint(pc.yellow, '~')} runtime ${paint(pc.bold, note.slug)} changed: ${note.from ? `v${note.from.version} -> ` : ''}v${note.to.version}`;
      if (!note.from) return head;
      const patch = diffVersions(note.slug, note.from, note.to)
        .split('\n')
        .filter((line) => !line.startsWith('===') && !line.startsWith('Index:'))
        .join('\n')
        .trimEnd();
      return `${head}\n${indent(color ? colorDiff(patch) : patch, '    ')}`;
    }
    case 'updated':
      return `  ${paint(pc.yellow, '~')} ${note.what} ${paint(pc.bold, note.slug)} updated: ${note.fields.join(', ')}`;
    case 'clash':
      return `  ${paint(pc.red, '!')} clash: ${note.message}`;
    case 'failed':
      return `  ${paint(pc.red, '!')} ${note.what} ${paint(pc.bold, note.slug)} not applied: ${note.message}`;
    case 'not_in_config':
      return `  ${paint(pc.dim, '-')} ${note.message}`;
  }
}

/**
 * A version made by anything but the config sync (which prints its own notes): the API, a
 * rollback, a run that versioned unsaved changes. The dev log shows each, with its diff.
 */
export function formatVersionMade(
  version: RuntimeVersion,
  previous: RuntimeVersion | undefined,
  color: boolean,
): string {
  const paint = (f: (s: string) => string, s: string) => (color ? f(s) : s);
  const head = `  ${paint(pc.yellow, '~')} runtime ${paint(pc.bold, version.runtimeSlug)} ${previous ? `v${previous.version} -> ` : ''}v${version.version} (${version.reason})`;
  if (!previous) return head;
  const patch = diffVersions(version.runtimeSlug, previous, version)
    .split('\n')
    .filter((line) => !line.startsWith('===') && !line.startsWith('Index:'))
    .join('\n')
    .trimEnd();
  return `${head}\n${indent(color ? colorDiff(patch) : patch, '    ')}`;
}

const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
