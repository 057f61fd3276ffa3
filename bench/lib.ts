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
