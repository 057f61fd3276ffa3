// "Versioning": snapshots, history and rollback (a rollback is itself a new version).
import { RunTools } from '@runtools/sdk';

const rt = new RunTools({ apiKey: process.env.RUNTOOLS_API_KEY });
const runtime = await rt.runtimes.get('code-assistant');

// Create version
await runtime.createVersion();

// List versions
const versions = await runtime.versions();
console.log(versions.map((v) => `v${v.version} ${v.reason}`));

// Rollback
await runtime.rollback({ version: 2 });
console.log('now at', runtime.version, 'with prompt', JSON.stringify(runtime.systemPrompt.slice(0, 40)));
