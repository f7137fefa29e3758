import { Injectable } from '@nestjs/common';
import { GatewayConfigService, LOCAL_FAKE_PROVIDER } from '@ai-gateway/core';
import { tasksConfigOf } from './config/tasks.section';

/**
 * The model or route each task uses: the caller's choice, else `tasks.routes.<name>`,
 * else the task's own (a YAML definition's `model`), else `tasks.defaultModel` (the
 * example config's `resume` route: Gemini → OpenAI → Claude → Ollama). Read per call, so
 * a config reload applies to the next task.
 */
@Injectable()
export class TaskModels {
  constructor(private readonly config: GatewayConfigService) {}

  modelFor(task: string, override?: string, own?: string): string {
    if (override) return override;
    const config = this.config.current;
    const { routes, defaultModel } = tasksConfigOf(config);
    const routed = Object.hasOwn(routes, task) ? routes[task] : undefined;
    if (routed) return routed;
    if (own) return own;
    // The embedded default has no routes: its local fake is the only model there is.
    if (config.embeddedFake && !Object.hasOwn(config.routes, defaultModel)) {
      return `${LOCAL_FAKE_PROVIDER}/echo`;
    }
    return defaultModel;
  }
}
