import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RunToolsApi } from '../api/contract.js';
import { RunToolsError } from '../api/errors.js';
import type { RunRequestBody } from '../api/schemas.js';
import type { Mount, WorkspaceData } from '../api/types.js';
import { toSandboxPath, WORKSPACE } from '../engine/run-paths.js';
import { loadScript } from '../models/script-file.js';
import { resolveRunId } from './run-ids.js';

/** What a run will find that a person should know before it starts. */
export interface PreflightNotes {
  /** Workspaces `--mount` names that do not exist yet: the run creates them, empty. */
  newWorkspaces: string[];
}

/**
 * Checks what a run request points at before the run is created, so a typo fails the command and
 * not a stored run: the deployment, a scripted model's file, a replayed run, and each context file
 * (a path in the run's workspace, looked up through the mounts). Returns the request with a replayed
 * run's id resolved (`replay:last`, a prefix) and what is worth saying.
 */
export async function preflight(
  api: RunToolsApi,
  apiSlug: string,
  body: RunRequestBody,
): Promise<{ body: RunRequestBody; notes: PreflightNotes }> {
  const deployment = await api.deployments.get(apiSlug);
  let model = body.model;
  if (typeof model === 'object' && model.provider === 'scripted') {
    try {
      loadScript(model.script, process.cwd());
    } catch (error) {
      throw invalidFlag(`--model: ${(error as Error).message}`);
    }
  }
  if (typeof model === 'object' && model.provider === 'replay') {
    const run = await resolveRunId(api, model.run).catch((error: unknown) => {
      throw invalidFlag(`--model replay: ${(error as Error).message}`);
    });
    model = { ...model, run };
  }
  const mounts = [...deployment.mounts, ...(body.mounts ?? [])];
  const workspaces = new Map<string, WorkspaceData | undefined>();
  for (const mount of mounts) {
    if (!workspaces.has(mount.workspaceId))
      workspaces.set(mount.workspaceId, await api.workspaces.get(mount.workspaceId).catch(() => undefined));
  }
  const newWorkspaces = (body.mounts ?? [])
    .map((m) => m.workspaceId)
    .filter((id) => workspaces.get(id) === undefined);
  for (const file of body.context?.files ?? []) checkContextFile(file, mounts, workspaces);
  return {
    body: { ...body, ...(model ? { model } : {}) },
    notes: { newWorkspaces: [...new Set(newWorkspaces)] },
  };
}

/** A context file must be in a mounted workspace that holds it now; a run's own /workspace starts empty. */
function checkContextFile(
  file: string,
  mounts: Mount[],
  workspaces: Map<string, WorkspaceData | undefined>,
): void {
  const withHosts = mounts.map((m) => ({ ...m, hostPath: workspaces.get(m.workspaceId)?.path ?? '' }));
  const sandboxPath = toSandboxPath(file, withHosts);
  const mount = [...mounts]
    .sort((a, b) => b.path.length - a.path.length)
    .find((m) => sandboxPath === m.path || sandboxPath.startsWith(`${m.path}/`));
  const where = `--context-file "${file}" is read from the run's workspace, as ${sandboxPath} (not from this machine's current folder)`;
  if (!mount) {
    throw invalidFlag(
      `${where}, but nothing is mounted at ${WORKSPACE}: the run starts with an empty one. Mount the folder that holds it, e.g. --mount my-project:${WORKSPACE} (a workspace made with rt.workspaces.create({id, path}) or listed in the config's workspaces)`,
    );
  }
  const workspace = workspaces.get(mount.workspaceId);
  if (!workspace) {
    throw invalidFlag(
      `${where}, but workspace "${mount.workspaceId}" does not exist yet, so it will be empty; create it with a path first (config "workspaces" or rt.workspaces.create({id, path}))`,
    );
  }
  const host = path.join(workspace.path, sandboxPath.slice(mount.path.length));
  if (!existsSync(host) || !statSync(host).isFile()) {
    throw invalidFlag(
      `${where}, but workspace "${mount.workspaceId}" (${workspace.path}) has no file ${path.relative(workspace.path, host) || '.'} there; check the path`,
    );
  }
}

const invalidFlag = (message: string) => new RunToolsError('invalid_request', message);
