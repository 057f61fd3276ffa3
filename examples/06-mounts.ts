// "With Mounts": the agent works on the user's project, a workspace that persists across runs.
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

// Mount user's project for the agent to work on
const run = await rt.agents.run('my-code-bot', {
  message: 'Fix the bug in the login component',
  mounts: [{ workspaceId: 'user-123-project', path: '/workspace' }],
});

console.log(
  run.status,
  run.files.map((f) => `${f.change} ${f.path}`),
);
console.log('workspace on disk:', (await rt.workspaces.get('user-123-project')).path);
