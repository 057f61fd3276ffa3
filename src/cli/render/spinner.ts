const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A one-line spinner on a terminal stream; `stop` erases it so normal output can follow. */
export class Spinner {
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private startedAt = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly paint: (text: string) => string,
  ) {}

  get spinning(): boolean {
    return this.timer !== undefined;
  }

  start(label: string): void {
    if (this.timer) return;
    this.startedAt = Date.now();
    const draw = () => {
      const seconds = Math.floor((Date.now() - this.startedAt) / 1000);
      const frame = FRAMES[this.frame++ % FRAMES.length];
      this.stream.write(`\r\u001b[K${this.paint(`${frame} ${label}${seconds > 0 ? ` ${seconds}s` : ''}`)}`);
    };
    draw();
    this.timer = setInterval(draw, 80);
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.stream.write('\r\u001b[K');
  }
}
