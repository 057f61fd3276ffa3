import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions/completions.js';
import type { Message } from '../../api/messages.js';
import { type ResolvedToolChoice, resolveToolChoice } from '../tool-choice.js';
import type { ModelRequest } from '../types.js';

export interface OpenAISettings {
  model: string;
  maxTokens: number | undefined;
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /**
   * OpenAI's own API takes `max_completion_tokens` (reasoning models reject `max_tokens`); the servers
   * behind custom endpoints (Ollama, llama.cpp, older vLLM) know `max_tokens`.
   */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
}

/** The Chat Completions body for one neutral request, streamed with usage in the last chunk. */
export function toOpenAIRequest(
  request: ModelRequest,
  settings: OpenAISettings,
): ChatCompletionCreateParamsStreaming {
  const tools: ChatCompletionTool[] = request.tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  }));
  const maxTokens = request.maxTokens ?? settings.maxTokens;
  const choice = resolveToolChoice(request.toolChoice);
  return {
    model: settings.model,
    stream: true,
    stream_options: { include_usage: true },
    messages: [
      ...(request.system === '' ? [] : [{ role: 'system' as const, content: request.system }]),
      ...toOpenAIMessages(request.messages),
    ],
    ...(tools.length > 0 ? { tools } : {}),
    ...(tools.length > 0 && choice ? { tool_choice: toChatToolChoice(choice) } : {}),
    ...(maxTokens === undefined ? {} : { [settings.maxTokensField]: maxTokens }),
    ...(settings.reasoningEffort === undefined ? {} : { reasoning_effort: settings.reasoningEffort }),
  };
}

function toChatToolChoice(choice: ResolvedToolChoice): ChatCompletionToolChoiceOption {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

/**
 * Neutral messages to Chat Completions messages. Thinking is not sent back: the API has no field for it
 * (servers that stream `reasoning_content` ask for it to be left out). A failed tool's result says so in
 * its content, as the API has no error flag.
 */
export function toOpenAIMessages(messages: Message[]): ChatCompletionMessageParam[] {
  return messages.flatMap(toOpenAIMessage);
}

function toOpenAIMessage(message: Message): ChatCompletionMessageParam[] {
  switch (message.role) {
    case 'user':
      return [{ role: 'user', content: message.content.map((part) => part.text).join('') }];
    case 'tool':
      return message.content.map((part) => ({
        role: 'tool' as const,
        tool_call_id: part.callId,
        content: part.isError ? `Error: ${part.output}` : part.output,
      }));
    case 'assistant': {
      const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
      const calls = message.content.flatMap((part) =>
        part.type === 'tool_call'
          ? [
              {
                id: part.callId,
                type: 'function' as const,
                function: {
                  name: part.name,
                  arguments: typeof part.input === 'string' ? part.input : JSON.stringify(part.input),
                },
              },
            ]
          : [],
      );
      return [
        {
          role: 'assistant',
          content: text === '' ? null : text,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
      ];
    }
  }
}
