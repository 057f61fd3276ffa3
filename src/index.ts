// The `runtools` package entry point: everything `@runtools/sdk` has, and `RunTools.local()`.

export { type LocalOptions, RunTools } from './local.js';
export * from './sdk/index.js';
