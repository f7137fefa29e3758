import Anthropic from '@anthropic-ai/sdk';
import type { FakeProviderServer, FakeScript } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { chatDoor } from './conformance/chat-door';
import type { Door, DoorName, Refusal } from './conformance/door';
import { messagesDoor } from './conformance/messages-door';
import { responsesDoor } from './conformance/responses-door';
import type { ExpectedRefusal, Feature } from './conformance/matrix';
import {
  DOORS,
  expectedUsage,
  FINISH,
  PROVIDERS,
  refusalFor,
  USAGE_SCRIPT,
} from './conformance/matrix';
import { upstreamView } from './conformance/upstream-view';
import type { TestGateway } from './harness';
import { providersFor, startGateway } from './harness';

/** A 1×1 PNG. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const IMAGE_URL = 'https://images.example/cat.png';
const TOOL_CALL = {
  name: 'get_weather',
  arguments: { city: 'Paris', unit: 'celsius' },
  id: 'call_conf_1',
};

type Outcome<T> = { answer: T; refusal?: undefined } | { answer?: undefined; refusal: Refusal };

/**
 * Issue 15, conformance: the translation matrix of docs/TRANSLATION_MATRIX.md, cell by cell.
 * Each ingress door (chat completions and Responses through the official `openai` client,
 * Messages through `@anthropic-ai/sdk`) × each provider kind (all served by one fake
 * provider in the vendor's wire format) × each feature: either carried — the fake recorded
 * it in the vendor's own shape and the answer comes back in the door's shape — or refused
 * with 400 `unsupported_feature` naming the field, before any byte goes upstream.
 */
describe('Conformance: every ingress × every provider kind (official SDKs, fake provider)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  const doors = {} as Record<DoorName, Door>;

  beforeAll(async () => {
    fake = await startFakeProvider();
    const all = providersFor(fake);
    const providers = Object.fromEntries(
      PROVIDERS.map((p) => [
        p.name,
        {
          ...all[p.name],
          models: ['conf-model'],
          maxRetries: 0,
          breaker: { failureThreshold: 1000, minRequests: 1000 },
        },
      ]),
    );
    // No response cache: every call must reach the fake, whatever ran before it.
    gateway = await startGateway({ providers, cache: { enabled: false } });
    doors.chat = chatDoor(gateway.client);
    doors.responses = responsesDoor(gateway.client);
    doors.messages = messagesDoor(
      new Anthropic({ baseURL: gateway.url, apiKey: 'gateway-test-key', maxRetries: 0 }),
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const chatCalls = () => fake.requests.filter((r) => r.operation === 'chat');
  /** The one model call the feature made, as the vendor received it. */
  const sent = () => {
    const calls = chatCalls();
    expect(calls).toHaveLength(1);
    return calls[0];
  };

  describe.each(DOORS)('%s door', (doorName) => {
    const door = () => doors[doorName];
    const finish = FINISH[doorName];

    describe.each(PROVIDERS.map((p) => [p.name, p] as const))('→ %s', (name, provider) => {
      const model = `${name}/conf-model`;
      const view = () => upstreamView(provider.wire, sent().body);

      /** Runs a feature: the expected refusal is checked here, and a carried answer returned. */
      async function run<T>(
        feature: Feature,
        script: FakeScript,
        call: () => Promise<T>,
      ): Promise<T | undefined> {
        fake.enqueue(script);
        const expected = refusalFor(feature, doorName, name);
        const outcome: Outcome<T> = await call().then(
          (answer) => ({ answer }),
          (error: unknown) => {
            const refusal = door().refusalOf(error);
            if (!refusal) throw error;
            return { refusal };
          },
        );
        if (expected) {
          expectRefused(outcome.refusal, expected);
          return undefined;
        }
        if (outcome.refusal) {
          throw new Error(`${feature} was refused: ${JSON.stringify(outcome.refusal)}`);
        }
        return outcome.answer;
      }

      function expectRefused(refusal: Refusal | undefined, expected: ExpectedRefusal): void {
        expect(refusal).toMatchObject({ status: 400, code: 'unsupported_feature' });
        // On the Messages door the code and param travel in `error.details` (Anthropic's
        // shape has no fields for them; its SDK reads `details.error_code`).
        expect(refusal?.param).toBe(expected.param);
        if (expected.by === 'adapter') {
          expect(refusal?.trace).toBe(`${name}/conf-model=unsupported_feature`);
        }
        expect(chatCalls()).toHaveLength(0);
      }

      it('tool-call: tool definitions carried, the call answered (non-stream)', async () => {
        const answer = await run('tool-call', { toolCalls: [TOOL_CALL] }, () =>
          door().toolCall(model),
        );
        expect(answer).toMatchObject({
          name: 'get_weather',
          args: TOOL_CALL.arguments,
          finish: finish.tool,
        });
        expect(answer?.id).toEqual(
          provider.keepsCallIds ? TOOL_CALL.id : expect.stringMatching(/^\S+$/),
        );
        expect(view()).toMatchObject({ toolNames: ['get_weather'], toolParams: ['city'] });
      });

      it('forced-tool: a choice that forces a tool call', async () => {
        const answer = await run('forced-tool', { toolCalls: [TOOL_CALL] }, () =>
          door().toolCall(model, true),
        );
        if (!answer) return;
        expect(answer).toMatchObject({ name: 'get_weather', finish: finish.tool });
        expect(view().forcedTool).toBe(true);
      });

      it('streamed-tool: argument deltas reach the client as the vendor sent them', async () => {
        const answer = await run('streamed-tool', { toolCalls: [TOOL_CALL] }, () =>
          door().streamToolCall(model),
        );
        expect(answer).toMatchObject({
          name: 'get_weather',
          args: TOOL_CALL.arguments,
          finish: finish.tool,
        });
        expect(answer?.fragments).toHaveLength(provider.argumentFragments);
        expect(sent().stream).toBe(true);
        expect(view().toolNames).toEqual(['get_weather']);
      });

      it('image-data: a base64 image part', async () => {
        const answer = await run('image-data', { text: 'a pixel' }, () =>
          door().image(model, { data: PNG, mime: 'image/png' }),
        );
        expect(answer).toMatchObject({ text: 'a pixel', finish: finish.stop });
        // Ollama takes the bytes alone, without a media type.
        expect(view().images).toEqual([
          provider.wire === 'ollama' ? { data: PNG } : { data: PNG, mime: 'image/png' },
        ]);
      });

      it('image-url: an image by http(s) URL', async () => {
        const answer = await run('image-url', { text: 'a cat' }, () =>
          door().image(model, { url: IMAGE_URL }),
        );
        if (!answer) return;
        expect(answer).toMatchObject({ text: 'a cat', finish: finish.stop });
        expect(view().images).toEqual([{ url: IMAGE_URL }]);
      });

      it('json-schema: structured output with a JSON schema', async () => {
        const answer = await run('json-schema', { text: '{"city":"Paris"}' }, () =>
          door().jsonSchema(model),
        );
        expect(JSON.parse(answer?.text ?? '')).toEqual({ city: 'Paris' });
        expect(answer?.finish).toBe(finish.stop);
        expect(view()).toMatchObject({ jsonSchema: true, schemaProps: ['city'] });
      });

      it('stop: stop sequences', async () => {
        // The fake's Anthropic honours stop sequences (cuts the text, says stop_sequence);
        // the other fakes do not, so they are scripted to stop on their own.
        const cuts = provider.wire === 'anthropic';
        const answer = await run('stop', { text: cuts ? 'alpha END beta' : 'alpha' }, () =>
          door().stop(model, ['END']),
        );
        if (!answer) return;
        expect(answer).toMatchObject({ text: cuts ? 'alpha ' : 'alpha', finish: finish.stop });
        // A matched sequence is not reported back: the unified answer does not say which.
        if (doorName === 'messages') expect(answer.stopSequence).toBeNull();
        expect(view().stop).toEqual(['END']);
      });

      it('cached-usage: prompt usage with cached tokens', async () => {
        const answer = await run('cached-usage', { text: 'ok', usage: USAGE_SCRIPT }, () =>
          door().usage(model),
        );
        expect(answer).toEqual(expectedUsage(doorName, provider));
      });

      it('stream-usage: the same usage at the end of a streamed answer', async () => {
        const answer = await run('stream-usage', { text: 'ok', usage: USAGE_SCRIPT }, () =>
          door().streamUsage(model),
        );
        expect(answer).toEqual(expectedUsage(doorName, provider));
        expect(sent().stream).toBe(true);
      });

      it('length: an output cap carried, the length finish mapped', async () => {
        const answer = await run('length', { text: 'cut short', finishReason: 'length' }, () =>
          door().capped(model, 16),
        );
        expect(answer).toMatchObject({ text: 'cut short', finish: finish.length });
        expect(view().maxTokens).toBe(16);
      });

      it('content-filter: the stop reason of a filtered answer', async () => {
        const answer = await run(
          'content-filter',
          { text: 'partial', finishReason: 'content_filter' },
          () => door().filtered(model),
        );
        expect(answer?.finish).toBe(provider.reportsFilter ? finish.filter : finish.stop);
      });
    });
  });
});
