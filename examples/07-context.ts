// "With Context": files from the workspace and the conversation of an earlier run.
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

const previousRun = await rt.agents.run('my-code-bot', {
  message: 'Create a React todo app with TypeScript',
  mounts: [{ workspaceId: 'todo-app', path: '/workspace' }],
});

const run = await rt.agents.run('my-code-bot', {
  message: 'Add dark mode to the app',
  mounts: [{ workspaceId: 'todo-app', path: '/workspace' }],
  context: {
    files: ['/src/App.tsx', '/src/styles.css'],
    history: previousRun.messages,
  },
});

console.log(run.status, run.output);
