/** The error a cancelled operation throws; the registry rethrows it so the engine cancels the run. */
export function abortError(): Error {
  return Object.assign(new Error('the tool call was cancelled'), { name: 'AbortError' });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
