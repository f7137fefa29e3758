/** What a request asks of the fake: a model call of some kind, or the model list. */
export type FakeOperation =
  | 'chat'
  | 'embeddings'
  | 'models'
  | 'completions'
  | 'moderations'
  | 'images'
  | 'speech'
  | 'transcriptions'
  | 'responses'
  | 'files'
  | 'batches';
