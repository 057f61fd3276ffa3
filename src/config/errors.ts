import path from 'node:path';

/** One thing wrong in a config file: where, and what to do about it. */
export interface ConfigProblem {
  /** A path into the config, like `runtimes[0].model`, or `(file)` for the file as a whole. */
  field: string;
  message: string;
}

/** A config file that cannot be used. The message names the file, each bad field, and the fix. */
export class ConfigError extends Error {
  readonly file: string;
  readonly problems: ConfigProblem[];
  /** Files the config references, so far as it could be read: hot reload watches them even now. */
  readonly files: string[];

  constructor(file: string, problems: ConfigProblem[], files: string[] = [file]) {
    super(
      `${displayPath(file)} is not valid:\n${problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
    this.files = files;
  }
}

/** A path as short as it can be said: relative to the current directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
