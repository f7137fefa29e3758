import type { FakeExchange } from '../fake-exchange';
import type { FakeOperation } from '../fake-operation';

/** A route of one vendor's API, matched on method and pathname. */
export interface FakeRoute {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  operation: FakeOperation;
  handle(ex: FakeExchange): Promise<void> | void;
  /** Model id named by the request (path or body), for script matching and records. */
  model?(ex: Pick<FakeExchange, 'body' | 'params'>): string | undefined;
  /**
   * Multipart uploads: keep the bytes of files up to this size in `FakeUploadedFile.content`
   * (default: counted only, as a transcription needs no more).
   */
  keepUploadBytes?: number;
  /** Whether the request asks for a stream. */
  stream?(ex: Pick<FakeExchange, 'body' | 'params' | 'url'>): boolean;
}

/** One vendor's wire format: its routes, how it carries keys and how it reports errors. */
export interface WireFormat {
  readonly name: 'openai' | 'mistral' | 'anthropic' | 'gemini' | 'ollama';
  readonly routes: FakeRoute[];
  /** The API key a request carries in this vendor's convention. */
  apiKey(ex: Pick<FakeExchange, 'req' | 'url'>): string | undefined;
  /** Sends an error in the vendor's shape (status already decided by the script). */
  sendError(ex: FakeExchange, status: number, message: string, type?: string): void;
}
