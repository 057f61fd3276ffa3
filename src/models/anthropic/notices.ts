import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { logOnce, type ModelLog } from '../sdk-log.js';

interface SdkNoticeData {
  /** Model name -> end-of-life date, as the SDK words it. */
  deprecated: Record<string, string>;
  /** Models for which `thinking: {type: 'enabled'}` is deprecated in favour of `adaptive`. */
  adaptiveThinking: string[];
}

let cached: SdkNoticeData | undefined;

/**
 * The SDK's own lists of deprecated models, read from its data files so the notices follow the
 * installed SDK version. The SDK would `console.warn` them on every request (see the adapter); a
 * layout change in a later SDK version means no notices, never a failed run.
 */
function sdkNoticeData(): SdkNoticeData {
  if (cached) return cached;
  cached = { deprecated: {}, adaptiveThinking: [] };
  try {
    const require = createRequire(import.meta.url);
    const data = join(dirname(require.resolve('@anthropic-ai/sdk')), 'internal', 'data');
    const deprecated = require(join(data, 'deprecated-models.js')) as { DEPRECATED_MODELS?: unknown };
    const thinking = require(join(data, 'models-to-warn-with-thinking-enabled.js')) as {
      MODELS_TO_WARN_WITH_THINKING_ENABLED?: unknown;
    };
    if (deprecated.DEPRECATED_MODELS && typeof deprecated.DEPRECATED_MODELS === 'object') {
      cached.deprecated = deprecated.DEPRECATED_MODELS as Record<string, string>;
    }
    if (Array.isArray(thinking.MODELS_TO_WARN_WITH_THINKING_ENABLED)) {
      cached.adaptiveThinking = thinking.MODELS_TO_WARN_WITH_THINKING_ENABLED as string[];
    }
  } catch {
    // No data files in this SDK version: nothing to warn about.
  }
  return cached;
}

/**
 * The notices the SDK's `messages.create` prints with console.warn, written to runtools' log instead,
 * once per model per process.
 */
export function logModelNotices(log: ModelLog, model: string, thinkingEnabled: boolean): void {
  const data = sdkNoticeData();
  const endOfLife = data.deprecated[model];
  if (endOfLife !== undefined) {
    logOnce(
      log,
      `anthropic-deprecated:${model}`,
      `runtools: the Anthropic model ${model} is deprecated and reaches end-of-life on ${endOfLife}; move the runtime to a newer model (https://docs.anthropic.com/en/docs/resources/model-deprecations)`,
    );
  }
  if (thinkingEnabled && data.adaptiveThinking.includes(model)) {
    logOnce(
      log,
      `anthropic-thinking-enabled:${model}`,
      `runtools: Anthropic deprecates thinking type "enabled" (thinkingBudget) for ${model} in favour of adaptive thinking`,
    );
  }
}
