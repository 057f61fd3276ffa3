import { expect } from 'vitest';
import { RunToolsError } from '../../src/api/errors.js';

/** Awaits `promise`, expecting a RunToolsError with this status whose message matches. */
export async function expectApiError(
  promise: Promise<unknown>,
  status: number,
  message: RegExp,
): Promise<RunToolsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail').toBeInstanceOf(RunToolsError);
  const apiError = error as RunToolsError;
  expect({ status: apiError.status, message: apiError.message }).toMatchObject({
    status,
    message: expect.stringMatching(message),
  });
  return apiError;
}
