import { oneLine } from './text.js';

type Input = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Options beyond the main one, as `key=value`, for the less common inputs. */
function extras(input: Input, main: string[]): string {
  const rest = Object.entries(input).filter(([key, value]) => !main.includes(key) && value !== undefined);
  return rest.length === 0
    ? ''
    : ` (${rest.map(([key, value]) => `${key}=${oneLine(str(value), 40)}`).join(', ')})`;
}

/**
 * A tool call's input as a person reads it: the command for bash, the path for file tools, the
 * pattern for searches; any other tool's input as compact JSON.
 */
export function describeToolInput(tool: string, raw: unknown): string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return oneLine(JSON.stringify(raw) ?? '', 200);
  const input = raw as Input;
  switch (tool) {
    case 'bash':
      return `$ ${oneLine(str(input.command), 200)}${extras(input, ['command'])}`;
    case 'read_file':
      return `${str(input.path)}${extras(input, ['path'])}`;
    case 'edit_file': {
      const creates = input.old_string === '';
      const lines = typeof input.new_string === 'string' ? input.new_string.split('\n').length : 0;
      return `${str(input.path)} ${creates ? `(new file, ${lines} lines)` : '(replace text)'}`;
    }
    case 'grep':
      return `/${str(input.pattern)}/${input.path ? ` in ${str(input.path)}` : ''}${extras(input, ['pattern', 'path'])}`;
    case 'glob':
      return `${str(input.pattern)}${input.path ? ` in ${str(input.path)}` : ''}${extras(input, ['pattern', 'path'])}`;
    case 'web_search':
      return `"${str(input.query)}"${extras(input, ['query'])}`;
    default:
      return oneLine(JSON.stringify(input), 200);
  }
}
