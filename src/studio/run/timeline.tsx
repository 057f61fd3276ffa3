import type { TimelineItem } from './timeline-items.js';
import { TimelineRow } from './timeline-row.js';
import { VirtualList } from './virtual-list.js';

/** Up to this many rows the whole timeline is in the page (the browser's find works on all of it). */
const PLAIN_LIMIT = 300;

export function Timeline({ items }: { items: readonly TimelineItem[] }) {
  return (
    <section class="timeline" aria-label="Timeline">
      {items.length > PLAIN_LIMIT ? (
        <VirtualList
          items={items}
          keyOf={(item) => item.key}
          render={(item) => <TimelineRow item={item} />}
        />
      ) : (
        <div class="plain-list">
          {items.map((item) => (
            <TimelineRow key={item.key} item={item} />
          ))}
        </div>
      )}
    </section>
  );
}
