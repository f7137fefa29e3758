import { Injectable } from '@nestjs/common';
import { GatewayConfigService, LOCAL_FAKE_PROVIDER } from '@ai-gateway/core';
import type { ResumeTaskType } from './resume-task-type.enum';

/**
 * The model or route each task type uses: the caller's choice, else `tasks.routes.<type>`,
 * else `tasks.defaultModel` (the example config's `resume` route: Gemini → OpenAI →
 * Claude → Ollama). Read per call, so a config reload applies to the next task.
 */
@Injectable()
export class TaskModels {
  constructor(private readonly config: GatewayConfigService) {}

  modelFor(type: ResumeTaskType, override?: string): string {
    if (override) return override;
    const config = this.config.current;
    const routed = Object.hasOwn(config.tasks.routes, type) ? config.tasks.routes[type] : undefined;
    if (routed) return routed;
    // The embedded default has no routes: its local fake is the only model there is.
    if (config.embeddedFake && !Object.hasOwn(config.routes, config.tasks.defaultModel)) {
      return `${LOCAL_FAKE_PROVIDER}/echo`;
    }
    return config.tasks.defaultModel;
  }
}
