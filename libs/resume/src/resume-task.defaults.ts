import { ResumeTaskType } from './resume-task-type.enum';

/**
 * Model each task asks for when the caller names none. A constant for now: every task
 * points at the embedded local fake, which echoes rather than answering as a model, so
 * its output fails JSON parsing on purpose. The per-task default routes (e.g. Gemini →
 * OpenAI → Claude → Ollama) move to the gateway config in a later issue.
 */
export const DEFAULT_TASK_MODELS: Readonly<Record<ResumeTaskType, string>> = {
  [ResumeTaskType.PARSE]: 'local-fake/echo',
  [ResumeTaskType.SCORE]: 'local-fake/echo',
  [ResumeTaskType.OPTIMIZE]: 'local-fake/echo',
  [ResumeTaskType.TEST]: 'local-fake/echo',
};
