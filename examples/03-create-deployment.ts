// "Creating Deployments": GITHUB_TOKEN and DATABASE_URL must be set where `runtools dev` runs (or in .env).
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

const deployment = await rt.deployments.create({
  runtimeSlug: 'code-assistant',
  templateSlug: 'nodejs-20',
  apiSlug: 'my-code-bot',

  // Optional
  mounts: [{ workspaceId: 'shared-libs', path: '/libs' }],
  webhookUrl: 'https://myapp.com/webhook',
  webhookEvents: ['run.completed', 'run.failed'],
  maxConcurrent: 10,
  timeout: 300,
  secrets: ['GITHUB_TOKEN', 'DATABASE_URL'],
});

console.log(deployment.apiEndpoint);
// → POST http://127.0.0.1:4400/v1/run/my-code-bot
