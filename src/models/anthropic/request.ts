import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages/messages.js';
import type { AssistantMessage, Message } from '../../api/messages.js';
import { ModelError } from '../errors.js';
import { type ResolvedToolChoice, resolveToolChoice } from '../tool-choice.js';
import { inputAsObject } from '../tool-input.js';
import type { ModelRequest } from '../types.js';

export interface AnthropicSettings {
  model: string;
  maxTokens: number;
  /** Extended thinking budget; undefined leaves thinking off. */
  thinkingBudget?: number;
}

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * The Messages API body for one neutral request. Prompt caching: breakpoints on the system prompt, the
 * last tool (which caches the whole tool list) and the newest user message, so each turn of an agent
 * loop reads the previous turn's prefix from cache; that is 3 of the 4 breakpoints the API allows.
 */
export function toAnthropicRequest(
  request: ModelRequest,
  settings: AnthropicSettings,
): MessageCreateParamsStreaming {
  const tools: Tool[] = request.tools.map((tool, index) => ({
    name: tool.name,
    description: tool.description,
    input_schema: { type: 'object', ...tool.inputSchema },
    ...(index === request.tools.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
  const system: TextBlockParam[] =
    request.system === '' ? [] : [{ type: 'text', text: request.system, cache_control: EPHEMERAL }];
  const choice = resolveToolChoice(request.toolChoice);
  return {
    model: settings.model,
    max_tokens: request.maxTokens ?? settings.maxTokens,
    stream: true,
    messages: markLastUserBlock(toAnthropicMessages(request.messages)),
    ...(system.length > 0 ? { system } : {}),
    ...(tools.length > 0 ? { tools } : {}),
    ...(tools.length > 0 && choice ? { tool_choice: toAnthropicToolChoice(choice, settings) } : {}),
    ...(settings.thinkingBudget === undefined
      ? {}
      : { thinking: { type: 'enabled', budget_tokens: settings.thinkingBudget } }),
  };
}

/**
 * Neutral messages to Anthropic's user/assistant alternation. Tool results become `tool_result` blocks
 * in a user message; consecutive messages of one role are merged, tool results first, as the API wants.
 */
export function toAnthropicMessages(messages: Message[]): MessageParam[] {
  const out: Array<{ role: 'user' | 'assistant'; content: ContentBlockParam[] }> = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = toBlocks(message);
    if (blocks.length === 0) continue;
    const last = out.at(-1);
    if (last?.role === role) {
      last.content = message.role === 'tool' ? [...blocks, ...last.content] : [...last.content, ...blocks];
    } else {
      out.push({ role, content: blocks });
    }
  }
  return out;
}

function toBlocks(message: Message): ContentBlockParam[] {
  switch (message.role) {
    case 'user':
      return message.content
        .filter((part) => part.text !== '')
        .map((part) => ({ type: 'text', text: part.text }));
    case 'tool':
      return message.content.map((part) => ({
        type: 'tool_result',
        tool_use_id: part.callId,
        content: part.output,
        ...(part.isError ? { is_error: true } : {}),
      }));
    case 'assistant':
      return message.content.flatMap(assistantBlocks);
  }
}

function assistantBlocks(part: AssistantMessage['content'][number]): ContentBlockParam[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text }];
    case 'thinking':
      // Signed blocks go back byte for byte (the API checks them); unsigned thinking came from
      // another provider or a script and the API would reject it, so it stays out.
      if (part.redacted !== undefined) return [{ type: 'redacted_thinking', data: part.redacted }];
      if (part.signature === undefined) return [];
      return [{ type: 'thinking', thinking: part.text, signature: part.signature }];
    case 'tool_call':
      return [{ type: 'tool_use', id: part.callId, name: part.name, input: inputAsObject(part.input) }];
  }
}

function markLastUserBlock(messages: MessageParam[]): MessageParam[] {
  const last = messages.at(-1);
  if (last?.role !== 'user' || typeof last.content === 'string') return messages;
  const blocks = [...last.content];
  const final = blocks.at(-1);
  if (final === undefined || (final.type !== 'text' && final.type !== 'tool_result')) return messages;
  blocks[blocks.length - 1] = { ...final, cache_control: EPHEMERAL };
  return [...messages.slice(0, -1), { role: 'user', content: blocks }];
}

/** Anthropic's tool_choice; with extended thinking the API accepts only `auto` and `none`. */
function toAnthropicToolChoice(choice: ResolvedToolChoice, settings: AnthropicSettings): ToolChoice {
  if (settings.thinkingBudget !== undefined && (choice.type === 'required' || choice.type === 'tool')) {
    throw new ModelError(
      'config',
      `${settings.model} cannot be forced to call a tool while thinking is on (Anthropic allows only toolChoice "auto" or "none" with thinkingBudget); remove thinkingBudget or toolChoice`,
    );
  }
  switch (choice.type) {
    case 'auto':
      return { type: 'auto' };
    case 'required':
      return { type: 'any' };
    case 'none':
      return { type: 'none' };
    case 'tool':
      return { type: 'tool', name: choice.name };
  }
}
