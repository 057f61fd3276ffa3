const t = performance.now();
const { z } = await import('zod');
const s = z.object({ a: z.string().min(2) });
console.error((performance.now() - t).toFixed(0), JSON.stringify(s.safeParse({ a: 'x' }).error.issues[0].message));
