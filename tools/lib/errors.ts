/** The error a cancelled operation throws; the registry rethrows it so the engine cancels the run. */
export function abortError(): Error {
  return Object.assign(new Error('the tool call was cancelled'), { name: 'AbortError' });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * What went wrong with a file, in words, naming the sandbox path only: the error's own message can
 * hold a host path (the local sandbox, a bind-mounted folder), which the model must never see.
 */
export function fileProblem(error: unknown, sandboxPath: string, doing: 'read' | 'write'): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as NodeJS.ErrnoException).code;
  const text = error.message;
  if (code === 'EROFS' || /read-only/i.test(text)) {
    return `${sandboxPath} is on a read-only mount of this run; it can be read but not changed`;
  }
  if (code === 'EACCES' || code === 'EPERM' || /permission denied/i.test(text)) {
    return `permission denied: the sandbox user cannot ${doing} ${sandboxPath}`;
  }
  if (code === 'ENOENT' || /no such file/i.test(text)) return `file not found: ${sandboxPath}`;
  if (code === 'EISDIR' || /is a directory/i.test(text)) return `${sandboxPath} is a directory, not a file`;
  if (code === 'ENOTDIR') return `a part of ${sandboxPath} is a file, not a folder`;
  if (code === 'ELOOP') return `${sandboxPath} goes through a loop of symlinks`;
  if (code === 'ENOTREG') {
    return `${sandboxPath} is not a regular file (a FIFO, socket or device); only regular files can be ${doing === 'read' ? 'read' : 'written'} with this tool`;
  }
  if (code === 'EFBIG' || code === 'ERR_FS_FILE_TOO_LARGE') return `${sandboxPath} is too large to ${doing}`;
  return code ? `could not ${doing} ${sandboxPath} (${code})` : null;
}
