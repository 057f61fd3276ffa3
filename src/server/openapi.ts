import { z } from 'zod';
import {
  createDeploymentSchema,
  createRuntimeSchema,
  createWorkspaceSchema,
  listRunsQuerySchema,
  promptFileSchema,
  rollbackSchema,
  runRequestSchema,
  sendInputSchema,
  updateDeploymentSchema,
  updateRuntimeSchema,
} from '../api/schemas.js';

interface Operation {
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** The success status; 204 has no body. */
  status?: number;
  /** What a successful response is, in words (the response types are TypeScript, not zod). */
  returns: string;
  /** False for the few paths that need no key. */
  auth?: boolean;
}

type Paths = Record<string, Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', Operation>>>;

const PATHS: Paths = {
  '/v1/health': { get: { summary: 'liveness', returns: '{ ok: true }', auth: false } },
  '/v1/runtimes': {
    post: { summary: 'create a runtime', body: createRuntimeSchema, status: 201, returns: 'AgentRuntime' },
    get: { summary: 'list runtimes', returns: '{ data: AgentRuntime[] }' },
  },
  '/v1/runtimes/{slug}': {
    get: { summary: 'a runtime', returns: 'AgentRuntime' },
    patch: { summary: 'update a runtime', body: updateRuntimeSchema, returns: 'AgentRuntime' },
    delete: { summary: 'delete a runtime', status: 204, returns: 'nothing' },
  },
  '/v1/runtimes/{slug}/versions': {
    post: { summary: 'snapshot the current config as a version', status: 201, returns: 'RuntimeVersion' },
    get: { summary: 'list versions', returns: '{ data: RuntimeVersion[] }' },
  },
  '/v1/runtimes/{slug}/versions/{version}': { get: { summary: 'one version', returns: 'RuntimeVersion' } },
  '/v1/runtimes/{slug}/rollback': {
    post: { summary: 'make an earlier version current', body: rollbackSchema, returns: 'AgentRuntime' },
  },
  '/v1/runtimes/{slug}/prompt-file': {
    put: {
      summary:
        "write the prompt to the file runtools.config.ts names for this runtime (runtools dev only); the config watcher then makes the version. 409 when the runtime's prompt is not from a file",
      body: promptFileSchema,
      returns: '{ file: string }',
    },
  },
  '/v1/deployments': {
    post: {
      summary: 'create a deployment',
      body: createDeploymentSchema,
      status: 201,
      returns: 'AgentDeployment',
    },
    get: { summary: 'list deployments', returns: '{ data: AgentDeployment[] }' },
  },
  '/v1/deployments/{apiSlug}': {
    get: { summary: 'a deployment', returns: 'AgentDeployment' },
    patch: { summary: 'update a deployment', body: updateDeploymentSchema, returns: 'AgentDeployment' },
    delete: { summary: 'delete a deployment', status: 204, returns: 'nothing' },
  },
  '/v1/run/{apiSlug}': {
    post: {
      summary: 'start a run: the finished run as JSON, or with stream: true a text/event-stream (x-run-id)',
      body: runRequestSchema,
      returns: 'AgentRun, or text/event-stream of AgentRunEvent',
    },
  },
  '/v1/runs': {
    get: { summary: 'run history, newest first', query: listRunsQuerySchema, returns: 'Page<AgentRun>' },
  },
  '/v1/runs/import': { post: { summary: 'store an exported run', status: 201, returns: 'AgentRunDetail' } },
  '/v1/runs/{id}': { get: { summary: 'a run with its events', returns: 'AgentRunDetail' } },
  '/v1/runs/{id}/events': {
    get: {
      summary: "the run's events as SSE; id: is the sequence number, resume with Last-Event-ID or ?after=N",
      returns: 'text/event-stream of AgentRunEvent',
    },
  },
  '/v1/runs/{id}/pause': { post: { summary: 'pause a run', returns: 'AgentRun' } },
  '/v1/runs/{id}/resume': { post: { summary: 'resume a run', returns: 'AgentRun' } },
  '/v1/runs/{id}/cancel': { post: { summary: 'cancel a run', returns: 'AgentRun' } },
  '/v1/runs/{id}/input': {
    post: { summary: 'send input to a running run', body: sendInputSchema, returns: 'AgentRun' },
  },
  '/v1/runs/{id}/files': {
    get: { summary: "list a run's files (?dir=)", returns: '{ data: RunFileEntry[] }' },
  },
  '/v1/runs/{id}/file': { get: { summary: "read one of a run's files (?path=)", returns: 'text/plain' } },
  '/v1/templates': { get: { summary: 'templates', returns: '{ data: Template[] }' } },
  '/v1/workspaces': {
    post: { summary: 'create a workspace', body: createWorkspaceSchema, status: 201, returns: 'Workspace' },
    get: { summary: 'list workspaces', returns: '{ data: Workspace[] }' },
  },
  '/v1/workspaces/{id}': {
    get: { summary: 'a workspace', returns: 'Workspace' },
    delete: { summary: 'delete a workspace', status: 204, returns: 'nothing' },
  },
};

/** Request bodies as clients write them: fields with defaults are optional. */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['type', 'message'],
      properties: {
        type: {
          enum: [
            'invalid_request',
            'unauthorized',
            'forbidden',
            'not_found',
            'conflict',
            'unavailable',
            'internal',
          ],
        },
        message: { type: 'string', description: 'what was wrong and how to fix it' },
        details: {},
      },
    },
  },
};

function operation(op: Operation, pathName: string) {
  const params = [...pathName.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = op.query
    ? Object.entries(op.query.shape).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema: jsonSchema(schema as z.ZodType),
      }))
    : [];
  const status = String(op.status ?? 200);
  return {
    summary: op.summary,
    ...(params.length + query.length > 0 ? { parameters: [...params, ...query] } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } }
      : {}),
    ...(op.auth === false ? { security: [] } : {}),
    responses: {
      [status]: { description: op.returns },
      default: { description: 'an error', content: { 'application/json': { schema: errorSchema } } },
    },
  };
}

let cached: unknown;

/** The HTTP API as OpenAPI 3.1, its request schemas generated from the zod schemas that validate them. */
export function openApiDocument(): unknown {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'runtools',
      version: '0.1.0',
      description: 'The local, offline twin of the RunTools agent platform.',
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: Object.fromEntries(
      Object.entries(PATHS).map(([pathName, ops]) => [
        pathName,
        Object.fromEntries(Object.entries(ops).map(([method, op]) => [method, operation(op, pathName)])),
      ]),
    ),
  };
  return cached;
}
