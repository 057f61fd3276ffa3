import { z } from 'zod';
import { createDeploymentSchema, createRuntimeSchema, slugSchema } from '../api/schemas.js';
import { toolsetsConfigSchema } from '../toolsets/config.js';

const promptSource = z.union([z.string(), z.strictObject({ file: z.string().min(1) })], {
  error: 'systemPrompt is text, or {file: "./prompts/name.md"} naming a file beside the config',
});

/** A runtime entry: the API's create body, with a system prompt that may live in a file. */
export const runtimeEntrySchema = createRuntimeSchema.extend({ systemPrompt: promptSource.default('') });

export const workspaceEntrySchema = z.strictObject({
  id: slugSchema,
  path: z.string().min(1, 'path names a folder; omit it for a managed workspace').optional(),
});

const webSearchSchema = z.strictObject({
  provider: z.enum(['searxng', 'brave', 'tavily'], {
    error: 'webSearch.provider is "searxng", "brave" or "tavily"',
  }),
  url: z.url({ error: 'webSearch.url must be a URL like "http://localhost:8888"' }).optional(),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'apiKeyEnv names an environment variable, like "BRAVE_API_KEY"')
    .optional(),
});

/** The whole of runtools.config.ts, as validated. */
export const configSchema = z.strictObject({
  runtimes: z
    .array(runtimeEntrySchema, { error: 'runtimes is a list: runtimes: [{slug, model, ...}]' })
    .default([]),
  deployments: z
    .array(createDeploymentSchema, {
      error: 'deployments is a list: deployments: [{apiSlug, runtimeSlug, templateSlug}]',
    })
    .default([]),
  workspaces: z
    .array(workspaceEntrySchema, { error: 'workspaces is a list: workspaces: [{id, path}]' })
    .default([]),
  sandbox: z.enum(['docker', 'local'], { error: 'sandbox is "docker" or "local"' }).optional(),
  webSearch: webSearchSchema.optional(),
  /** Toolsets beyond the six built-ins: MCP servers, TypeScript functions, stand-in fixtures. */
  tools: toolsetsConfigSchema.optional(),
});

export type ParsedConfig = z.output<typeof configSchema>;
