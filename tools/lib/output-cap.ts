/** The most characters of output a tool returns; past it the middle is cut (Claude Code, OpenHands). */
export const MAX_OUTPUT_CHARS = 30_000;

/**
 * Keeps the head and the tail of an output of any length in bounded memory, so a command that
 * prints gigabytes costs 30,000 characters, and says how much of the middle was cut.
 */
export class OutputCap {
  private head = '';
  private tail = '';
  private total = 0;

  constructor(private readonly limit = MAX_OUTPUT_CHARS) {}

  push(text: string): void {
    this.total += text.length;
    const half = Math.floor(this.limit / 2);
    if (this.head.length < half) {
      const take = half - this.head.length;
      this.head += text.slice(0, take);
      text = text.slice(take);
    }
    if (text) this.tail = (this.tail + text).slice(-half);
  }

  get length(): number {
    return this.total;
  }

  toString(): string {
    const kept = this.head.length + this.tail.length;
    if (this.total <= this.limit || kept >= this.total) return this.head + this.tail;
    const cut = this.total - kept;
    return `${this.head}\n\n[... ${cut.toLocaleString('en-US')} characters cut from the middle of the output (${this.total.toLocaleString('en-US')} in all); redirect to a file and read parts of it to see more ...]\n\n${this.tail}`;
  }
}

/** Cuts a finished string the same way. */
export function capOutput(text: string, limit = MAX_OUTPUT_CHARS): string {
  const cap = new OutputCap(limit);
  cap.push(text);
  return cap.toString();
}
