import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

interface Props<T> {
  items: readonly T[];
  keyOf(item: T): string;
  render(item: T): ComponentChildren;
  /** A row's height before it is measured. */
  estimate?: number;
  /** Keep the view at the end while new items arrive (when it already is at the end). */
  follow?: boolean;
}

const OVERSCAN_PX = 600;

/**
 * Renders only the rows near the viewport of a scrolling box, so a run of thousands of events costs
 * what a screenful costs. Rows are measured once shown (ResizeObserver) and positioned from the
 * sum of the heights before them.
 */
export function VirtualList<T>({ items, keyOf, render, estimate = 44, follow = true }: Props<T>) {
  const box = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [, setMeasured] = useState(0);
  const [view, setView] = useState({ top: 0, height: 800 });
  const atEnd = useRef(true);
  const observer = useRef<ResizeObserver | undefined>(undefined);

  useEffect(() => {
    observer.current = new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const key = (entry.target as HTMLElement).dataset.key!;
        const height = Math.ceil(entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height);
        if (heights.current.get(key) !== height) {
          heights.current.set(key, height);
          changed = true;
        }
      }
      if (changed) setMeasured((n) => n + 1);
    });
    const element = box.current!;
    setView({ top: element.scrollTop, height: element.clientHeight });
    return () => observer.current?.disconnect();
  }, []);

  const offsets = new Array<number>(items.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < items.length; i++)
    offsets[i + 1] = offsets[i]! + (heights.current.get(keyOf(items[i]!)) ?? estimate);
  const total = offsets[items.length]!;
  const from = Math.max(0, upperBound(offsets, view.top - OVERSCAN_PX) - 1);
  const to = Math.min(items.length, upperBound(offsets, view.top + view.height + OVERSCAN_PX));

  useLayoutEffect(() => {
    const element = box.current;
    if (follow && element && atEnd.current) element.scrollTop = element.scrollHeight;
  });

  const onScroll = () => {
    const element = box.current!;
    atEnd.current = element.scrollTop + element.clientHeight >= element.scrollHeight - 40;
    setView({ top: element.scrollTop, height: element.clientHeight });
  };

  const rows: ComponentChildren[] = [];
  for (let i = from; i < to; i++) {
    const item = items[i]!;
    const key = keyOf(item);
    rows.push(
      <div
        key={key}
        data-key={key}
        class="vrow"
        style={{ transform: `translateY(${offsets[i]}px)` }}
        ref={(element) => {
          if (element) observer.current?.observe(element);
        }}
      >
        {render(item)}
      </div>,
    );
  }
  return (
    <div class="vlist" ref={box} onScroll={onScroll}>
      <div class="vlist-space" style={{ height: `${total}px` }}>
        {rows}
      </div>
    </div>
  );
}

/** The first index whose offset is greater than `value`. */
function upperBound(offsets: number[], value: number): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsets[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
