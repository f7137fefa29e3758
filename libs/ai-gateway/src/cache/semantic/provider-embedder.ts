import { Inject } from '@nestjs/common';
import type { Embedder } from './embedder';

/**
 * Where provider embedders get their vectors: a provider's embeddings through the
 * gateway's own path (routing, limits, usage) — the module binds it to the embeddings
 * pipeline, which never goes back through the cache.
 */
export interface EmbeddingsSource {
  embedText(model: string, text: string): Promise<number[]>;
}

/** Injection token of the {@link EmbeddingsSource}. */
export const EMBEDDINGS_SOURCE = Symbol('EMBEDDINGS_SOURCE');

/** Injects the {@link EmbeddingsSource}. */
export const InjectEmbeddingsSource = (): ParameterDecorator => Inject(EMBEDDINGS_SOURCE);

/**
 * A provider's embedding model (OpenAI text-embedding-3-small, Gemini, Ollama, … —
 * whatever `model` resolves to). Vectors are L2-normalised here, whatever the provider
 * returns, so similarity is a dot product for every embedder alike.
 */
export class ProviderEmbedder implements Embedder {
  readonly id: string;
  private learned = 0;

  constructor(
    private readonly model: string,
    private readonly source: EmbeddingsSource,
  ) {
    this.id = `model:${model}`;
  }

  /** Known after the first call (0 before). */
  get dimensions(): number {
    return this.learned;
  }

  async embed(text: string): Promise<Float32Array> {
    const values = await this.source.embedText(this.model, text);
    const vector = Float32Array.from(values);
    let norm = 0;
    for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
    this.learned = vector.length;
    return vector;
  }
}
