export type { FakeScript, QueuedScript } from './fake-script';
export type { RecordedRequest } from './fake-exchange';
export type { FakeProviderOptions } from './fake-provider.server';
export { FakeProviderServer, startFakeProvider } from './fake-provider.server';
export { FAKE_MODELS } from './wire/openai.wire';
