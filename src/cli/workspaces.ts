import { rmSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import type { RunToolsApi } from '../api/contract.js';
import { isTerminal, type WorkspaceData } from '../api/types.js';
import { connect, type GlobalOptions, projectPaths } from './context.js';

export function workspacesCommand(global: () => GlobalOptions): Command {
  const command = new Command('workspaces').description(
    'workspaces: folders mounted into runs (every run gets a managed one for its /workspace)',
  );

  command
    .command('list')
    .description('list workspaces: named ones and the managed folders runs left')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const workspaces = await rt.workspaces.list();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(workspaces, null, 2)}\n`);
          return;
        }
        if (workspaces.length === 0) {
          console.log(pc.dim('no workspaces yet'));
          return;
        }
        const width = Math.max(...workspaces.map((w) => w.id.length));
        for (const w of workspaces)
          console.log(`${w.id.padEnd(width)}  ${w.managed ? 'managed' : 'folder '}  ${w.path}`);
        const runs = workspaces.filter((w) => w.managed && w.id.startsWith('run-')).length;
        if (runs > 0)
          console.log(
            pc.dim(`${runs} left by runs; "runtools workspaces prune" removes those of ended runs`),
          );
      } finally {
        await rt.close();
      }
    });

  command
    .command('rm <id...>')
    .description(
      "forget workspaces; a managed one's folder is deleted too (a folder of yours is never touched)",
    )
    .action(async (ids: string[]) => {
      const { rt } = await connect(global());
      try {
        const root = managedRoot(global());
        for (const id of ids) {
          const workspace = await rt.workspaces.get(id);
          await remove(rt.api, workspace, root);
          console.log(`removed ${id}${workspace.managed ? ` and its folder ${workspace.path}` : ''}`);
        }
      } finally {
        await rt.close();
      }
    });

  command
    .command('prune')
    .description('remove the managed workspaces of runs that have ended (their files go with them)')
    .option('--all', 'also remove managed workspaces not made by a run (named ones created on first use)')
    .action(async (options: { all?: boolean }) => {
      const { rt } = await connect(global());
      try {
        const root = managedRoot(global());
        let removed = 0;
        for (const workspace of await rt.workspaces.list()) {
          if (!workspace.managed) continue;
          if (workspace.id.startsWith('run-')) {
            const run = await rt.api.runs.get(workspace.id).catch(() => undefined);
            if (run && !isTerminal(run.status)) continue;
          } else if (!options.all) continue;
          await remove(rt.api, workspace, root);
          removed++;
        }
        console.log(`removed ${removed} managed workspace${removed === 1 ? '' : 's'}`);
      } finally {
        await rt.close();
      }
    });

  return command;
}

/** Where managed workspaces live: only folders under it are ever deleted. */
const managedRoot = (options: GlobalOptions) => path.join(projectPaths(options).dataDir, 'workspaces');

async function remove(api: RunToolsApi, workspace: WorkspaceData, root: string): Promise<void> {
  await api.workspaces.delete(workspace.id);
  const folder = path.resolve(workspace.path);
  if (workspace.managed && folder.startsWith(`${root}${path.sep}`))
    rmSync(folder, { recursive: true, force: true });
}
