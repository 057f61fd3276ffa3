/** A tool call's arguments as the model wrote them, parsed. */
export interface ParsedToolInput {
  /** The parsed object; the raw text when it could not be parsed. */
  input: unknown;
  /** Why the arguments are unusable; the loop answers the call with this as an error result. */
  inputError?: string;
}

/**
 * Parses the JSON text a model streamed as tool arguments. Models do emit broken JSON (cut off by
 * max_tokens, or just wrong); that must become an error result the model can react to, never a crash.
 * An empty string means "no arguments", which some servers send for parameterless tools.
 */
export function parseToolArguments(raw: string): ParsedToolInput {
  if (raw.trim() === '') return { input: {} };
  try {
    const input: unknown = JSON.parse(raw);
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return { input: raw, inputError: `tool arguments must be a JSON object, got: ${truncate(raw)}` };
    }
    return { input };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { input: raw, inputError: `tool arguments are not valid JSON (${reason}): ${truncate(raw)}` };
  }
}

/** The arguments to send back to a provider that wants an object, for a call whose input failed to parse. */
export function inputAsObject(input: unknown): Record<string, unknown> {
  return input !== null && typeof input === 'object' && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : {};
}

const truncate = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}...` : text);
