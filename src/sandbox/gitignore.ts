/**
 * A small .gitignore matcher: negation, trailing `/` (directories only), anchoring by a leading
 * or inner `/`, `*`, `?`, `[...]` and `**`. Rules of deeper .gitignore files come later and win,
 * as in git.
 */
interface Rule {
  /** Folder of the .gitignore, relative to the root ('' for the root). */
  base: string;
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

export function globToRegExpSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        out += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) out += `\\${glob[++i]}`;
    else out += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return out;
}

export class IgnoreRules {
  private readonly rules: Rule[] = [];

  /** Adds the lines of the .gitignore found in folder `base` (relative, '' for the root). */
  add(base: string, text: string): void {
    for (const raw of text.split(/\r?\n/)) {
      let line = raw.replace(/(?<!\\)\s+$/, '');
      if (!line || line.startsWith('#')) continue;
      const negate = line.startsWith('!');
      if (negate) line = line.slice(1);
      const dirOnly = line.endsWith('/');
      if (dirOnly) line = line.slice(0, -1);
      const anchored = line.includes('/');
      if (line.startsWith('/')) line = line.slice(1);
      const source = globToRegExpSource(line);
      const re = new RegExp(`^${anchored ? '' : '(?:.*/)?'}${source}$`);
      this.rules.push({ base, re, negate, dirOnly });
    }
  }

  /** Whether `rel` (relative to the root, `/`-separated) is ignored; the last matching rule decides. */
  ignores(rel: string, isDir: boolean): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.base && !rel.startsWith(`${rule.base}/`)) continue;
      const sub = rule.base ? rel.slice(rule.base.length + 1) : rel;
      if (rule.re.test(sub)) ignored = !rule.negate;
    }
    return ignored;
  }
}
