import type {
  Content,
  FunctionCallingConfigMode,
  GenerateContentConfig,
  Part,
  ToolConfig,
} from '@google/genai';
import type { AssistantMessage, Message, ToolCallPart } from '../../api/messages.js';
import { type ResolvedToolChoice, resolveToolChoice } from '../tool-choice.js';
import { inputAsObject } from '../tool-input.js';
import type { ModelRequest } from '../types.js';

export interface GoogleSettings {
  model: string;
  maxTokens: number | undefined;
  thinkingBudget?: number;
}

/** Marks a call id we made up because Gemini sent none; such ids are not sent back to Gemini. */
export const SYNTHETIC_ID = 'syntheticId';

/** The generateContent config and contents for one neutral request. */
export function toGoogleRequest(
  request: ModelRequest,
  settings: GoogleSettings,
  signal: AbortSignal,
): { model: string; contents: Content[]; config: GenerateContentConfig } {
  const maxTokens = request.maxTokens ?? settings.maxTokens;
  const choice = resolveToolChoice(request.toolChoice);
  const config: GenerateContentConfig = {
    abortSignal: signal,
    ...(request.system === '' ? {} : { systemInstruction: request.system }),
    ...(maxTokens === undefined ? {} : { maxOutputTokens: maxTokens }),
    ...(settings.thinkingBudget === undefined
      ? {}
      : { thinkingConfig: { includeThoughts: true, thinkingBudget: settings.thinkingBudget } }),
    ...(request.tools.length === 0
      ? {}
      : {
          tools: [
            {
              // parametersJsonSchema takes full JSON Schema; `parameters` is an OpenAPI subset that rejects
              // keywords zod emits (additionalProperties, $schema).
              functionDeclarations: request.tools.map((tool) => ({
                name: tool.name,
                description: tool.description,
                parametersJsonSchema: tool.inputSchema,
              })),
            },
          ],
        }),
    ...(request.tools.length > 0 && choice ? { toolConfig: toGoogleToolConfig(choice) } : {}),
  };
  return { model: settings.model, contents: toGoogleContents(request.messages), config };
}

/** Gemini's function calling mode; a named tool is `ANY` restricted to that one function. */
function toGoogleToolConfig(choice: ResolvedToolChoice): ToolConfig {
  // The mode enum is a value of the SDK, which loads only on first use: its string values go as they are.
  const mode = (value: 'AUTO' | 'ANY' | 'NONE') => value as FunctionCallingConfigMode;
  switch (choice.type) {
    case 'auto':
      return { functionCallingConfig: { mode: mode('AUTO') } };
    case 'required':
      return { functionCallingConfig: { mode: mode('ANY') } };
    case 'none':
      return { functionCallingConfig: { mode: mode('NONE') } };
    case 'tool':
      return { functionCallingConfig: { mode: mode('ANY'), allowedFunctionNames: [choice.name] } };
  }
}

/**
 * Neutral messages to Gemini contents (roles user and model; tool results are functionResponse parts of
 * a user turn). Every thoughtSignature goes back on the part it came with (functionCall, text or
 * thought), as Gemini requires for tool loops with thinking; thought summaries without one stay out.
 */
export function toGoogleContents(messages: Message[]): Content[] {
  const calls = new Map<string, ToolCallPart>();
  const out: Array<{ role: 'user' | 'model'; parts: Part[] }> = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts = toParts(message, calls);
    if (parts.length === 0) continue;
    const last = out.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else out.push({ role, parts });
  }
  return out;
}

function toParts(message: Message, calls: Map<string, ToolCallPart>): Part[] {
  switch (message.role) {
    case 'user':
      return message.content.filter((part) => part.text !== '').map((part) => ({ text: part.text }));
    case 'tool':
      return message.content.map((part) => {
        const call = calls.get(part.callId);
        const id = call?.meta?.[SYNTHETIC_ID] ? undefined : part.callId;
        return {
          functionResponse: {
            ...(id === undefined ? {} : { id }),
            name: part.name,
            response: part.isError ? { error: part.output } : { output: part.output },
          },
        };
      });
    case 'assistant':
      return message.content.flatMap((part) => assistantParts(part, calls));
  }
}

function assistantParts(part: AssistantMessage['content'][number], calls: Map<string, ToolCallPart>): Part[] {
  switch (part.type) {
    case 'text': {
      const signature = part.meta?.thoughtSignature;
      if (signature !== undefined) return [{ text: part.text, thoughtSignature: signature }];
      return part.text === '' ? [] : [{ text: part.text }];
    }
    case 'thinking': {
      const signature = part.meta?.thoughtSignature;
      return signature === undefined ? [] : [{ text: part.text, thought: true, thoughtSignature: signature }];
    }
    case 'tool_call': {
      calls.set(part.callId, part);
      const signature = part.meta?.thoughtSignature;
      const synthetic = part.meta?.[SYNTHETIC_ID] !== undefined;
      return [
        {
          functionCall: {
            ...(synthetic ? {} : { id: part.callId }),
            name: part.name,
            args: inputAsObject(part.input),
          },
          ...(signature === undefined ? {} : { thoughtSignature: signature }),
        },
      ];
    }
  }
}
