import type { FakePlan } from '../fake-content';
import { contentText, estimateTokens, fakeEmbedding, planResponse } from '../fake-content';
import type { FakeExchange } from '../fake-exchange';
import {
  cutConnection,
  paceStream,
  sendJson,
  startEventStream,
  sendBodyFault,
} from '../fake-exchange';
import { FAKE_MODELS } from './openai.wire';
import type { WireFormat } from './wire-format';

interface OllamaBody {
  model?: string;
  stream?: boolean;
  messages?: Array<{ role?: string; content?: unknown }>;
  input?: string | string[];
  dimensions?: number;
}

/** Ollama reports durations in nanoseconds; the fake's are plausible constants. */
const DURATIONS = {
  total_duration: 5_000_000,
  load_duration: 1_000_000,
  prompt_eval_duration: 1_000_000,
  eval_duration: 3_000_000,
};

function facts(body: OllamaBody): { promptText: string; lastUserText: string } {
  const messages = body.messages ?? [];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  return {
    promptText: messages.map((m) => contentText(m.content)).join('\n'),
    lastUserText: contentText(lastUser?.content),
  };
}

/** Ollama has no tool-call or content-filter reason: those answers say `stop`. */
function doneReason(plan: FakePlan): 'stop' | 'length' {
  return plan.finishReason === 'length' ? 'length' : 'stop';
}

/** Ollama carries tool arguments as an object, not a JSON string. */
function toolCall(call: FakePlan['toolCalls'][number], index: number): unknown {
  let args: unknown;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    args = {};
  }
  return { function: { index, name: call.name, arguments: args } };
}

function finalFields(plan: FakePlan): Record<string, unknown> {
  return {
    done_reason: doneReason(plan),
    done: true,
    ...DURATIONS,
    prompt_eval_count: plan.usage.prompt,
    eval_count: plan.usage.completion,
  };
}

async function chat(ex: FakeExchange): Promise<void> {
  const body = (ex.body ?? {}) as OllamaBody;
  const plan = planResponse(ex.script, facts(body));
  const model = body.model ?? 'fake-chat';
  const createdAt = (): string => new Date().toISOString();

  if (body.stream === false) {
    if (sendBodyFault(ex, `{"model":"${model}","message":{"role":"assistant","content":"`)) return;
    const message: Record<string, unknown> = { role: 'assistant', content: plan.text };
    if (plan.toolCalls.length > 0) message.tool_calls = plan.toolCalls.map(toolCall);
    sendJson(ex.res, 200, { model, created_at: createdAt(), message, ...finalFields(plan) });
    return;
  }

  // Ollama streams by default: one JSON object per line, the last with `done: true`.
  startEventStream(ex.res, 'application/x-ndjson');
  const writeLine = (line: unknown): boolean => ex.res.write(`${JSON.stringify(line)}\n`);
  const items: Array<() => void> = [];
  for (const piece of plan.textChunks) {
    items.push(() =>
      writeLine({
        model,
        created_at: createdAt(),
        message: { role: 'assistant', content: piece },
        done: false,
      }),
    );
  }
  plan.toolCalls.forEach((call, index) =>
    items.push(() =>
      writeLine({
        model,
        created_at: createdAt(),
        message: { role: 'assistant', content: '', tool_calls: [toolCall(call, index)] },
        done: false,
      }),
    ),
  );
  items.push(() =>
    writeLine({
      model,
      created_at: createdAt(),
      message: { role: 'assistant', content: '' },
      ...finalFields(plan),
    }),
  );

  const completed = await paceStream(
    ex,
    items.length,
    (index) => items[index](),
    (fault) => {
      if (fault === 'error-event') {
        writeLine({ error: 'an error was encountered while running the model: unexpected EOF' });
        ex.res.end();
      } else if (fault === 'malformed') {
        ex.res.write('{"model":"broken","message":{\n');
        ex.res.end();
      } else cutConnection(ex.res);
    },
  );
  if (completed) ex.res.end();
}

function embed(ex: FakeExchange): void {
  const body = (ex.body ?? {}) as OllamaBody;
  if (body.input !== undefined && typeof body.input !== 'string' && !Array.isArray(body.input)) {
    sendJson(ex.res, 400, { error: 'invalid input type' });
    return;
  }
  const inputs =
    body.input === undefined ? [] : Array.isArray(body.input) ? body.input : [body.input];
  const dimensions = body.dimensions ?? ex.script.dimensions ?? 64;
  const tokens = inputs.reduce((sum, text) => sum + estimateTokens(String(text)), 0);
  sendJson(ex.res, 200, {
    model: body.model ?? 'text-embedding-fake',
    embeddings: inputs.map((text) => fakeEmbedding(String(text), dimensions)),
    total_duration: DURATIONS.total_duration,
    load_duration: DURATIONS.load_duration,
    prompt_eval_count: ex.script.usage?.prompt ?? tokens,
  });
}

function tags(ex: FakeExchange): void {
  sendJson(ex.res, 200, {
    models: FAKE_MODELS.map((id) => ({
      name: `${id}:latest`,
      model: `${id}:latest`,
      modified_at: '2024-01-01T00:00:00Z',
      size: 1_000_000,
      digest: 'fake0000',
      details: {
        parent_model: '',
        format: 'gguf',
        family: 'fake',
        families: ['fake'],
        parameter_size: '1M',
        quantization_level: 'F16',
      },
    })),
  });
}

const modelOf = (ex: Pick<FakeExchange, 'body'>): string | undefined =>
  (ex.body as OllamaBody | undefined)?.model;

/** Ollama's native API: `/api/chat` (NDJSON streams), `/api/embed` and `/api/tags`. */
export const ollamaWire: WireFormat = {
  name: 'ollama',
  routes: [
    {
      method: 'POST',
      pattern: /^\/api\/chat$/,
      operation: 'chat',
      handle: chat,
      model: modelOf,
      stream: (ex) => (ex.body as OllamaBody | undefined)?.stream !== false,
    },
    {
      method: 'POST',
      pattern: /^\/api\/embed$/,
      operation: 'embeddings',
      handle: embed,
      model: modelOf,
    },
    { method: 'GET', pattern: /^\/api\/tags$/, operation: 'models', handle: tags },
  ],
  // Ollama takes no key; a reverse proxy in front of it may want a Bearer token.
  apiKey: (ex) => {
    const auth = ex.req.headers.authorization;
    return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
  },
  sendError: (ex, status, message) => sendJson(ex.res, status, { error: message }),
};
