/**
 * Turns a prompt into a vector for the semantic cache. Vectors are L2-normalised, so the
 * cosine similarity of two of them is their dot product.
 */
export interface Embedder {
  /** Names the embedder, its version and its dimensions: part of every semantic scope. */
  readonly id: string;
  readonly dimensions: number;
  embed(text: string): Promise<Float32Array>;
}

/** Dot product of two L2-normalised vectors of one length: their cosine similarity. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
