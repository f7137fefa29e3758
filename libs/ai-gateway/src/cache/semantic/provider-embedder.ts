import type { Embedder } from './embedder';

/** Calls a provider's embeddings through the gateway's own path (routing, limits, usage). */
export type EmbeddingsCall = (model: string, text: string) => Promise<number[]>;

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
    private readonly call: EmbeddingsCall,
  ) {
    this.id = `model:${model}`;
  }

  /** Known after the first call (0 before). */
  get dimensions(): number {
    return this.learned;
  }

  async embed(text: string): Promise<Float32Array> {
    const values = await this.call(this.model, text);
    const vector = Float32Array.from(values);
    let norm = 0;
    for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
    this.learned = vector.length;
    return vector;
  }
}
