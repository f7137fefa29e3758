/**
 * The parts of OpenAI's Responses API the gateway speaks (`POST /v1/responses`), as plain
 * JSON shapes. Requests are translated to the unified chat shape and served by any
 * provider; these are what goes back to the caller and what is stored.
 */

/** An item of a response's `output` (and of the conversation stored for continuations). */
export type ResponseOutputItem = ResponseMessageItem | ResponseFunctionCallItem;

export interface ResponseOutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs: unknown[];
}

export interface ResponseRefusal {
  type: 'refusal';
  refusal: string;
}

export interface ResponseMessageItem {
  type: 'message';
  id: string;
  status: 'in_progress' | 'completed' | 'incomplete';
  role: 'assistant';
  content: Array<ResponseOutputText | ResponseRefusal>;
}

export interface ResponseFunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: 'in_progress' | 'completed' | 'incomplete';
}

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** OpenAI's Response object. */
export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  model: string;
  output: ResponseOutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  store: boolean;
  temperature: number | null;
  text: { format: Record<string, unknown> };
  tool_choice: unknown;
  tools: unknown[];
  top_p: number | null;
  truncation: 'disabled';
  usage: ResponseUsage | null;
  user: string | null;
  metadata: Record<string, string>;
}

/** One event of a streamed response; every event carries its `sequence_number`. */
export interface ResponseStreamEvent {
  type: string;
  sequence_number: number;
  [field: string]: unknown;
}

/** An input item as the caller sent it (validated by the request mapper). */
export type ResponseInputItem = Record<string, unknown>;

/** A response kept for `previous_response_id`, `GET` and `DELETE` (`store: true`). */
export interface StoredResponse {
  response: ResponseObject;
  /** The conversation before the output: earlier turns and this request's input items. */
  input: ResponseInputItem[];
  /** Non-secret id of the gateway key that created it; null when auth is off. */
  keyId: string | null;
}

/** `DELETE /v1/responses/{id}`. */
export interface DeletedResponse {
  id: string;
  object: 'response';
  deleted: true;
}
