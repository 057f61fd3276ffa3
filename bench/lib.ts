/** One line of a benchmark table. */
export interface Row {
  name: string;
  median: number;
  p90?: number;
  unit: string;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** Runs `fn` `iterations` times (after one warm-up call) and returns median and p90 in ms. */
export async function measure(
  name: string,
  iterations: number,
  fn: (i: number) => Promise<unknown>,
): Promise<Row> {
  await fn(-1);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await fn(i);
    times.push(performance.now() - started);
  }
  return { name: `${name} (n=${iterations})`, median: median(times), p90: quantile(times, 0.9), unit: 'ms' };
}

const format = (n: number | undefined): string =>
  n === undefined ? '' : n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3);

/** Prints rows as an aligned table under a title. */
export function printTable(title: string, rows: readonly Row[]): void {
  const width = Math.max(...rows.map((r) => r.name.length), 10);
  const lines = [
    `\n${title}`,
    `${'measure'.padEnd(width)}  ${'median'.padStart(10)}  ${'p90'.padStart(10)}  unit`,
    ...rows.map(
      (r) =>
        `${r.name.padEnd(width)}  ${format(r.median).padStart(10)}  ${format(r.p90).padStart(10)}  ${r.unit}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A figure next to what it is measured against (a peer, a floor, or the same thing elsewhere). */
export interface Comparison {
  what: string;
  value: number;
  /** Name of what `value` is compared with. */
  against: string;
  base: number;
  unit: string;
  /** The issue's goal, in words ("≤ 2×"). */
  goal?: string;
}

/**
 * Runs `trials` rounds of every named function, one of each per round in turn (interleaved, so
 * a busy moment on a shared machine hits every contender alike), and returns each one's times.
 */
export async function interleaved<K extends string>(
  trials: number,
  contenders: Record<K, (trial: number) => Promise<number | undefined>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[];
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let trial = 0; trial < trials; trial++) {
    for (const name of names) {
      const started = performance.now();
      const reported = await contenders[name](trial);
      times[name].push(reported ?? performance.now() - started);
    }
  }
  return times;
}

/** Prints comparisons as an aligned table: the figure, what it is compared with, the ratio, the goal. */
export function printComparisons(title: string, rows: readonly Comparison[]): void {
  const width = Math.max(...rows.map((r) => r.what.length), 10);
  const against = Math.max(...rows.map((r) => r.against.length), 10);
  const lines = [
    `\n${title}`,
    `${'measure'.padEnd(width)}  ${'median'.padStart(9)}  ${'against'.padEnd(against)}  ${'median'.padStart(9)}  ${'ratio'.padStart(7)}  unit  goal`,
    ...rows.map(
      (r) =>
        `${r.what.padEnd(width)}  ${format(r.value).padStart(9)}  ${r.against.padEnd(against)}  ${format(r.base).padStart(9)}  ${`${format(r.value / r.base)}×`.padStart(7)}  ${r.unit.padEnd(4)}  ${r.goal ?? ''}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
