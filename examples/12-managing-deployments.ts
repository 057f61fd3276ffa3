// "Managing Deployments".
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });

// List deployments
const deployments = await rt.deployments.list();
console.log(deployments.map((d) => d.apiSlug));

// Get deployment
const deployment = await rt.deployments.get('my-code-bot');

// Update
await deployment.update({
  maxConcurrent: 20,
});
console.log('maxConcurrent', deployment.maxConcurrent);

// Delete
await deployment.delete();
console.log('deleted', deployment.apiSlug);
