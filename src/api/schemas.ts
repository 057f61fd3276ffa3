import { z } from 'zod';
import { invalid } from './errors.js';
import type {
  CreateDeploymentBody,
  CreateRuntimeBody,
  CreateWorkspaceBody,
  DenyBody,
  ListRunsQuery,
  RunRequestBody,
  UpdateDeploymentBody,
  UpdateRuntimeBody,
} from './requests.js';
import { agrees, type Same } from './schema-agreement.js';
import { RUN_STATUSES, WEBHOOK_EVENTS } from './types.js';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slugMessage = 'use lowercase letters, digits and single dashes, like "my-code-bot"';

export const slugSchema = z.string().min(1).max(64).regex(SLUG, slugMessage);

/**
 * A built-in tool, a toolset (`gmail`) or one toolset tool (`gmail__send_email`). Which exist is
 * checked against the server's toolsets by the runtime service, which knows them.
 */
const toolName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    'a tool is a built-in name like "bash", a toolset like "gmail", or a toolset tool like "gmail__send_email"',
  );

const toolList = z
  .array(toolName)
  .refine((tools) => new Set(tools).size === tools.length, 'lists a tool twice');

const httpUrl = (what: string) =>
  z.url({ protocol: /^https?$/, error: `${what} must be an http:// or https:// URL` });

const perMillion = z.number().nonnegative('prices are US dollars per million tokens, 0 or more');

/** A model's prices, US dollars per million tokens. */
const priceSchema = z.strictObject({
  input: perMillion,
  output: perMillion,
  cacheRead: perMillion.optional(),
  cacheWrite: perMillion.optional(),
});

export const modelConfigSchema = z.union([
  z.string().min(1, 'name a model, like "claude-opus-4-5", "gpt-5.2" or "gemini-3-pro"'),
  z.strictObject({
    provider: z.enum(['anthropic', 'openai', 'google']),
    model: z.string().min(1),
    maxTokens: z.number().int().positive().optional(),
    thinkingBudget: z.number().int().min(1024, 'thinkingBudget must be at least 1024 tokens').optional(),
    reasoningEffort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
    price: priceSchema.optional(),
  }),
  z.strictObject({
    provider: z.literal('custom'),
    endpoint: httpUrl('endpoint'),
    apiKey: z.string().optional(),
    format: z.enum(['openai', 'openai-responses', 'anthropic'], {
      error: 'format must be "openai", "openai-responses" or "anthropic"',
    }),
    model: z.string().min(1).optional(),
    maxTokens: z.number().int().positive().optional(),
    price: priceSchema.optional(),
  }),
  z.strictObject({
    provider: z.literal('scripted'),
    script: z.string().min(1),
    model: z.string().min(1).optional(),
  }),
  z.strictObject({ provider: z.literal('replay'), run: z.string().min(1) }),
]);

const toolChoiceSchema = z.union(
  [z.enum(['auto', 'any', 'required', 'none']), z.strictObject({ tool: z.string().min(1) })],
  { error: 'toolChoice is "auto", "required" (or "any"), "none", or {tool: "<tool name>"}' },
);

const runtimeFields = {
  name: z.string().min(1).max(200),
  systemPrompt: z.string(),
  model: modelConfigSchema,
  tools: toolList,
  maxTurns: z.number().int().min(1).max(10_000),
  toolChoice: toolChoiceSchema,
  approve: toolList,
};

export const createRuntimeSchema = z.strictObject({
  slug: slugSchema,
  name: runtimeFields.name.optional(),
  systemPrompt: runtimeFields.systemPrompt.default(''),
  model: runtimeFields.model,
  tools: runtimeFields.tools.default([]),
  maxTurns: runtimeFields.maxTurns.default(50),
  toolChoice: runtimeFields.toolChoice.optional(),
  approve: runtimeFields.approve.optional(),
});

export const updateRuntimeSchema = z
  .strictObject({
    name: runtimeFields.name,
    systemPrompt: runtimeFields.systemPrompt,
    model: runtimeFields.model,
    tools: runtimeFields.tools,
    maxTurns: runtimeFields.maxTurns,
    toolChoice: runtimeFields.toolChoice,
    approve: runtimeFields.approve,
  })
  .partial();

export const rollbackSchema = z.strictObject({ version: z.number().int().min(1) });

/** The container's kernel views: a mount there would hide them, or expose host files over them. */
const KERNEL_PATHS = ['/proc', '/sys', '/dev'];

/** Why a container path cannot take a mount, or undefined when it can. */
function mountPathProblem(p: string): string | undefined {
  const normal = p.replace(/\/+$/, '') || '/';
  if (normal === '/') return 'a mount cannot replace "/"; mount at a folder such as "/libs"';
  const kernel = KERNEL_PATHS.find((k) => normal === k || normal.startsWith(`${k}/`));
  if (kernel)
    return `a mount cannot go under ${kernel}, the container's kernel view; mount at a folder such as "/libs"`;
  return undefined;
}

const absolutePath = z
  .string()
  .refine((p) => p.startsWith('/'), {
    error: (i) => `mount path "${String(i.input)}" must be absolute, like "/libs"`,
  })
  .refine((p) => !p.split('/').includes('..'), 'mount path must not contain ".."')
  .superRefine((p, ctx) => {
    const problem = mountPathProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: `mount path "${p}": ${problem}` });
  });

export const mountSchema = z.strictObject({
  workspaceId: slugSchema,
  path: absolutePath,
  readOnly: z.boolean().optional(),
});

const deploymentFields = {
  runtimeSlug: slugSchema,
  templateSlug: slugSchema,
  mounts: z.array(mountSchema),
  webhookUrl: httpUrl('webhookUrl').nullable(),
  webhookEvents: z.array(
    z.enum(WEBHOOK_EVENTS, { error: `webhook events are ${WEBHOOK_EVENTS.join(', ')}` }),
  ),
  maxConcurrent: z.number().int().min(1, 'maxConcurrent must be at least 1').max(1000),
  timeout: z.number().positive('timeout is in seconds and must be greater than 0').max(86_400),
  secrets: z.array(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'secret names are environment variable names'),
  ),
  sandbox: z.enum(['docker', 'local']),
  network: z.enum(['bridge', 'none']),
  limits: z
    .strictObject({
      memoryMb: z
        .number()
        .int()
        .min(64, 'limits.memoryMb is at least 64')
        .max(262_144, 'limits.memoryMb is at most 262144 (256 GiB); a sandbox needs far less'),
      cpus: z.number().positive().max(64, 'limits.cpus is at most 64'),
      pids: z
        .number()
        .int()
        .min(16, 'limits.pids is at least 16')
        .max(65_536, 'limits.pids is at most 65536; a bounded process count is what holds a fork bomb'),
    })
    .partial(),
  approve: toolList,
};

export const createDeploymentSchema = z.strictObject({
  apiSlug: slugSchema,
  runtimeSlug: deploymentFields.runtimeSlug,
  templateSlug: deploymentFields.templateSlug,
  mounts: deploymentFields.mounts.default([]),
  webhookUrl: deploymentFields.webhookUrl.optional(),
  webhookEvents: deploymentFields.webhookEvents.default(['run.completed', 'run.failed']),
  maxConcurrent: deploymentFields.maxConcurrent.default(5),
  timeout: deploymentFields.timeout.default(600),
  secrets: deploymentFields.secrets.default([]),
  sandbox: deploymentFields.sandbox.optional(),
  network: deploymentFields.network.default('bridge'),
  limits: deploymentFields.limits.default({}),
  approve: deploymentFields.approve.default([]),
});

export const updateDeploymentSchema = z
  .strictObject({
    runtimeSlug: deploymentFields.runtimeSlug,
    templateSlug: deploymentFields.templateSlug,
    mounts: deploymentFields.mounts,
    webhookUrl: deploymentFields.webhookUrl,
    webhookEvents: deploymentFields.webhookEvents,
    maxConcurrent: deploymentFields.maxConcurrent,
    timeout: deploymentFields.timeout,
    secrets: deploymentFields.secrets,
    sandbox: deploymentFields.sandbox,
    network: deploymentFields.network,
    limits: deploymentFields.limits,
    approve: deploymentFields.approve,
  })
  .partial();

/** Provider data kept on an assistant part so it goes back unchanged (signatures, reasoning items). */
const partMeta = z.record(z.string(), z.string()).optional();

const messageSchema = z.union([
  z.strictObject({
    role: z.literal('user'),
    content: z.array(z.strictObject({ type: z.literal('text'), text: z.string() })),
  }),
  z.strictObject({
    role: z.literal('assistant'),
    content: z.array(
      z.union([
        z.strictObject({ type: z.literal('text'), text: z.string(), meta: partMeta }),
        z.strictObject({
          type: z.literal('thinking'),
          text: z.string(),
          signature: z.string().optional(),
          redacted: z.string().optional(),
          meta: partMeta,
        }),
        z.strictObject({
          type: z.literal('tool_call'),
          callId: z.string(),
          name: z.string(),
          input: z.unknown(),
          meta: partMeta,
        }),
      ]),
    ),
  }),
  z.strictObject({
    role: z.literal('tool'),
    content: z.array(
      z.strictObject({
        type: z.literal('tool_result'),
        callId: z.string(),
        name: z.string(),
        output: z.string(),
        isError: z.boolean(),
      }),
    ),
  }),
]);

export const runRequestSchema = z.strictObject({
  message: z.string().min(1, 'message must not be empty: say what the agent should do'),
  stream: z.boolean().default(false),
  mounts: z.array(mountSchema).default([]),
  context: z
    .strictObject({
      files: z.array(z.string().min(1)).default([]),
      history: z.array(messageSchema).default([]),
    })
    .default({ files: [], history: [] }),
  model: modelConfigSchema.optional(),
  /** A system prompt that replaces the runtime's for this run only (a draft: no version is made). */
  systemPrompt: z.string().min(1, "systemPrompt must not be empty; omit it to use the runtime's").optional(),
  /** Replaces the runtime's toolChoice for this run. */
  toolChoice: toolChoiceSchema.optional(),
  /** Run an earlier version of the deployment's runtime instead of its current config. */
  runtimeVersion: z.number().int().min(1).optional(),
  /** Hold the run before each tool call runs (status paused) until resume(): stepping through tools. */
  pauseBeforeTools: z.boolean().default(false),
  /** 'live', or the run whose recorded toolset results stand in for the calls. */
  toolsetCalls: z
    .union([z.literal('live'), z.strictObject({ recorded: z.string().min(1) })], {
      error: 'toolsetCalls is "live", or {recorded: "<run id>"} to use the toolset results that run recorded',
    })
    .optional(),
});

export const listRunsQuerySchema = z.strictObject({
  deployment: slugSchema.optional(),
  status: z.enum(RUN_STATUSES, { error: `status is one of ${RUN_STATUSES.join(', ')}` }).optional(),
  /** Runs whose message (or id) contains this text, ignoring case. */
  q: z.string().trim().max(200, 'q is at most 200 characters').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .regex(
      /^run-[0-9a-z]{1,64}$/,
      'cursor is the nextCursor of a previous page (a run id); omit it for the first page',
    )
    .optional(),
});

/** Writes a runtime's prompt back to the prompt file runtools.config.ts names for it. */
export const promptFileSchema = z.strictObject({
  systemPrompt: z.string().min(1, 'systemPrompt must not be empty'),
});

export const sendInputSchema = z.strictObject({ message: z.string().min(1, 'input must not be empty') });

export const denySchema = z.strictObject({
  reason: z.string().min(1, 'say why the call is denied: the model reads it').default('denied by a person'),
});

export const createWorkspaceSchema = z.strictObject({
  id: slugSchema,
  path: z.string().min(1).optional(),
});

export type {
  CreateDeploymentBody,
  CreateRuntimeBody,
  CreateWorkspaceBody,
  DenyBody,
  ListRunsQuery,
  RunRequestBody,
  UpdateDeploymentBody,
  UpdateRuntimeBody,
} from './requests.js';
export type CreateRuntimeRequest = z.output<typeof createRuntimeSchema>;
export type CreateDeploymentRequest = z.output<typeof createDeploymentSchema>;
export type RunRequest = z.output<typeof runRequestSchema>;

// The plain request types of requests.ts (what the SDK declares) and what the schemas accept must
// not drift apart: each line fails to compile when a field is added to one and not the other.
agrees<Same<CreateRuntimeBody, z.input<typeof createRuntimeSchema>>>();
agrees<Same<UpdateRuntimeBody, z.input<typeof updateRuntimeSchema>>>();
agrees<Same<CreateDeploymentBody, z.input<typeof createDeploymentSchema>>>();
agrees<Same<UpdateDeploymentBody, z.input<typeof updateDeploymentSchema>>>();
agrees<Same<RunRequestBody, z.input<typeof runRequestSchema>>>();
agrees<Same<Omit<ListRunsQuery, 'limit'>, Omit<z.input<typeof listRunsQuerySchema>, 'limit'>>>();
agrees<Same<CreateWorkspaceBody, z.input<typeof createWorkspaceSchema>>>();
agrees<Same<DenyBody, z.input<typeof denySchema>>>();

/**
 * Validates `value` against `schema`, or throws a 400 naming every bad field and what it should be.
 * `what` names the thing being validated ("runtime", "deployment") for the message.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(body)';
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove ${issue.keys.length > 1 ? 'them' : 'it'}`
        : issue.message;
    return { field, message };
  });
  const summary = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return invalidFields(`invalid ${what}: ${summary}`, problems);
}

function invalidFields(message: string, problems: { field: string; message: string }[]): never {
  throw invalid(message, { fields: problems });
}
