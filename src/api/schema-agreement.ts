// A plain request type (what the SDK declares, with no schema library) and what its zod schema
// accepts must not drift apart. `agrees<Same<Plain, z.input<typeof schema>>>()` fails to compile
// when a field is added to one and not the other, or when their types differ.

type Assignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** True when A and B accept the same values and name the same keys. */
export type Same<A, B> = Assignable<A, B> extends true ? Assignable<keyof A, keyof B> : false;

/** A compile-time check: only `agrees<true>()` type-checks. */
export const agrees = <T extends true>(): T | undefined => undefined;
