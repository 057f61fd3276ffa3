import { createHash } from 'node:crypto';
import type { IntegrationItems } from './items.js';
import type { StandIn, StandInContext } from './stand-in.js';
import type { Toolset, ToolsetTool } from './types.js';
import { zodTool } from './zod-tool.js';

/**
 * A stand-in as a toolset. Its storage is seeded on first use, and again whenever the fixtures
 * change (the seed's hash is kept beside it), so what the agent sent stays between runs.
 */
export function standInToolset(
  standIn: StandIn,
  items: IntegrationItems,
  options: { fixtures: () => unknown; now: () => Date },
): Toolset & { ensureSeeded(): void } {
  const seeded = new Set<string>();
  const ensureSeeded = () => {
    const fixtures = options.fixtures();
    const hash = createHash('sha256')
      .update(JSON.stringify(fixtures ?? null))
      .digest('hex');
    if (seeded.has(hash)) return;
    if (items.get('meta', 'seed')?.data.hash !== hash) {
      const seed = standIn.seed(fixtures, options.now());
      for (const [kind, kindItems] of Object.entries(seed)) items.replace(kind, kindItems);
      items.put('meta', { id: 'seed', data: { hash }, createdAt: options.now().toISOString() });
    }
    seeded.clear();
    seeded.add(hash);
  };
  const tools: ToolsetTool[] = standIn.tools.map((tool) => {
    const inner = zodTool({
      ...tool,
      execute: (input, ctx) => tool.execute(input as never, ctx as StandInContext),
    });
    return {
      ...inner,
      execute: (input, ctx) => {
        ensureSeeded();
        return inner.execute(input, { ...ctx, items, now: options.now } as StandInContext);
      },
    };
  });
  return {
    name: standIn.name,
    kind: 'stand-in',
    tools: async () => tools,
    ensureSeeded,
  };
}
