/** The most characters of output a tool returns; past it the middle is cut (Claude Code, OpenHands). */
export const MAX_OUTPUT_CHARS = 30_000;

/** The most characters of one output kept whole for its file; a longer output's file holds its start. */
export const MAX_KEPT_CHARS = 32 * 1024 * 1024;

/**
 * Keeps the head and the tail of an output for the model, says how much of the middle was cut, and
 * keeps the whole output (up to MAX_KEPT_CHARS) so the bash tool can put it in a file to page.
 */
export class OutputCap {
  private head = '';
  private tail = '';
  private total = 0;
  private chunks: string[] = [];
  private keptChars = 0;

  constructor(
    private readonly limit = MAX_OUTPUT_CHARS,
    private readonly keepLimit = MAX_KEPT_CHARS,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.total += text.length;
    if (this.keptChars < this.keepLimit) {
      const kept = text.slice(0, this.keepLimit - this.keptChars);
      this.chunks.push(kept);
      this.keptChars += kept.length;
    }
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

  /** Whether toString() leaves out part of the middle. */
  get isCut(): boolean {
    return this.total > this.limit && this.head.length + this.tail.length < this.total;
  }

  /** The whole output, or its first MAX_KEPT_CHARS characters (`complete: false`). */
  whole(): { text: string; complete: boolean } {
    return { text: this.chunks.join(''), complete: this.keptChars === this.total };
  }

  /** Head and tail with a marker of the cut; `advice` says where the rest is or how to see it. */
  toString(advice = 'redirect to a file and read parts of it to see more'): string {
    if (!this.isCut) return this.head + this.tail;
    const cut = this.total - this.head.length - this.tail.length;
    return `${this.head}\n\n[... ${cut.toLocaleString('en-US')} characters cut from the middle of the output (${this.total.toLocaleString('en-US')} in all); ${advice} ...]\n\n${this.tail}`;
  }
}

/** Cuts a finished string the same way. */
export function capOutput(text: string, limit = MAX_OUTPUT_CHARS): string {
  const cap = new OutputCap(limit, 0);
  cap.push(text);
  return cap.toString();
}
