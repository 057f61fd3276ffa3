// "Types": every type the docs name is exported.
import type {
  AgentDeployment,
  AgentRun,
  AgentRunEvent,
  AgentRunStatus,
  AgentRuntime,
  ModelConfig,
} from '@runtools/sdk';

const model: ModelConfig = { provider: 'custom', endpoint: 'http://localhost:11434/v1', format: 'openai' };
const status: AgentRunStatus = 'completed';
const describe = (r: AgentRuntime, d: AgentDeployment, run: AgentRun, e: AgentRunEvent) =>
  `${r.slug} ${d.apiSlug} ${run.id} ${e.type}`;
console.log(typeof describe, JSON.stringify(model), status);
