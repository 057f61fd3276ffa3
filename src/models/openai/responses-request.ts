import type {
  FunctionTool,
  ResponseCreateParamsStreaming,
  ResponseInputItem,
  ResponseOutputMessage,
  ResponseReasoningItem,
  ToolChoiceFunction,
  ToolChoiceOptions,
} from 'openai/resources/responses/responses.js';
import type { AssistantMessage, Message, ThinkingPart } from '../../api/messages.js';
import { type ResolvedToolChoice, resolveToolChoice } from '../tool-choice.js';
import type { ModelRequest } from '../types.js';

export interface ResponsesSettings {
  model: string;
  maxTokens: number | undefined;
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /**
   * The model reasons (OpenAI's o-series and gpt-5 family): ask for reasoning summaries and for the
   * encrypted reasoning, which goes back with the next request. Other models reject both.
   */
  reasoning: boolean;
}

/**
 * Keys in a part's `meta` for what the Responses API needs back: the output item's id, a reasoning
 * item's encrypted reasoning, a message's phase, and which field of a reasoning item a thinking part
 * came from (`summary`, the default, or `content` for servers that send raw reasoning text).
 */
export const META = {
  itemId: 'itemId',
  encryptedContent: 'encryptedContent',
  phase: 'phase',
  reasoningField: 'reasoningField',
} as const;

/**
 * The Responses API body for one neutral request. Stateless: `store: false`, the whole conversation
 * sent each turn, reasoning items included as they came (with `include: ['reasoning.encrypted_content']`
 * the API returns them in a form it accepts back without storing anything).
 */
export function toResponsesRequest(
  request: ModelRequest,
  settings: ResponsesSettings,
): ResponseCreateParamsStreaming {
  const tools: FunctionTool[] = request.tools.map((tool) => ({
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: tool.inputSchema,
    // The Responses API defaults to strict schemas, which tool schemas with optional fields fail.
    strict: false,
  }));
  const maxTokens = request.maxTokens ?? settings.maxTokens;
  const choice = resolveToolChoice(request.toolChoice);
  return {
    model: settings.model,
    stream: true,
    store: false,
    ...(settings.reasoning ? { include: ['reasoning.encrypted_content'] } : {}),
    ...(request.system === '' ? {} : { instructions: request.system }),
    input: toResponsesInput(request.messages),
    ...(tools.length > 0 ? { tools } : {}),
    ...(tools.length > 0 && choice ? { tool_choice: toResponsesToolChoice(choice) } : {}),
    ...(maxTokens === undefined ? {} : { max_output_tokens: maxTokens }),
    ...(settings.reasoning
      ? {
          reasoning: {
            summary: 'auto',
            ...(settings.reasoningEffort === undefined ? {} : { effort: settings.reasoningEffort }),
          },
        }
      : {}),
  };
}

function toResponsesToolChoice(choice: ResolvedToolChoice): ToolChoiceOptions | ToolChoiceFunction {
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type;
}

/**
 * Neutral messages to Responses input items. An assistant turn becomes its output items again, in
 * order: reasoning items (rebuilt from the thinking parts that share an item id), messages and
 * function calls, each with the id it came with. Thinking from another provider or a script has no
 * reasoning item to go back as and stays out. A failed tool's result says so in its output.
 */
export function toResponsesInput(messages: Message[]): ResponseInputItem[] {
  return messages.flatMap(toItems);
}

function toItems(message: Message): ResponseInputItem[] {
  switch (message.role) {
    case 'user':
      return [{ role: 'user', content: message.content.map((part) => part.text).join('') }];
    case 'tool':
      return message.content.map((part) => ({
        type: 'function_call_output' as const,
        call_id: part.callId,
        output: part.isError ? `Error: ${part.output}` : part.output,
      }));
    case 'assistant':
      return assistantItems(message);
  }
}

type OpenItem =
  | { kind: 'reasoning'; id: string; item: ResponseReasoningItem }
  | { kind: 'message'; id: string; item: ResponseOutputMessage };

function assistantItems(message: AssistantMessage): ResponseInputItem[] {
  const items: ResponseInputItem[] = [];
  // The item the previous part went into, so the parts that share its id join it.
  let open: OpenItem | undefined;
  for (const part of message.content) {
    const id = part.meta?.[META.itemId];
    switch (part.type) {
      case 'thinking': {
        if (id === undefined) break;
        if (open?.kind !== 'reasoning' || open.id !== id) {
          const item: ResponseReasoningItem = { type: 'reasoning', id, summary: [] };
          const encrypted = part.meta?.[META.encryptedContent];
          if (encrypted !== undefined) item.encrypted_content = encrypted;
          items.push(item);
          open = { kind: 'reasoning', id, item };
        }
        addReasoning(open.item, part);
        break;
      }
      case 'text': {
        if (id === undefined) {
          if (part.text !== '') items.push({ role: 'assistant', content: part.text });
          open = undefined;
          break;
        }
        if (open?.kind !== 'message' || open.id !== id) {
          const phase = part.meta?.[META.phase];
          const item: ResponseOutputMessage = {
            type: 'message',
            role: 'assistant',
            id,
            status: 'completed',
            content: [],
            ...(phase === 'commentary' || phase === 'final_answer' ? { phase } : {}),
          };
          items.push(item);
          open = { kind: 'message', id, item };
        }
        open.item.content.push({ type: 'output_text', text: part.text, annotations: [] });
        break;
      }
      case 'tool_call':
        items.push({
          type: 'function_call',
          ...(id === undefined ? {} : { id }),
          call_id: part.callId,
          name: part.name,
          arguments: typeof part.input === 'string' ? part.input : JSON.stringify(part.input),
        });
        open = undefined;
        break;
    }
  }
  return items;
}

/** A thinking part back into its reasoning item: an empty part stands for an item with no summary. */
function addReasoning(item: ResponseReasoningItem, part: ThinkingPart): void {
  if (part.meta?.[META.reasoningField] === 'content') {
    item.content = [...(item.content ?? []), { type: 'reasoning_text', text: part.text }];
  } else if (part.text !== '' || item.summary.length > 0) {
    item.summary.push({ type: 'summary_text', text: part.text });
  }
}
