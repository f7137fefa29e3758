import { Body, Controller, Get, Post } from '@nestjs/common';
import { AiGatewayService } from '@ai-gateway/core';
import type { ChatCompletionMessageParam } from '@ai-gateway/core';
import { TaskRegistry } from '@ai-gateway/resume';
import type { TaskResult } from '@ai-gateway/resume';

interface Ask {
  model: string;
  text: string;
}

/** The host's own routes, each calling the gateway in-process (no HTTP hop to it). */
@Controller('demo')
export class DemoController {
  constructor(
    private readonly gateway: AiGatewayService,
    private readonly tasks: TaskRegistry,
  ) {}

  @Get('models')
  models(): string[] {
    return this.gateway.listModels().map((model) => model.id);
  }

  @Post('chat')
  async chat(@Body() { model, text }: Ask) {
    const { response, meta } = await this.gateway.chat({ model, messages: user(text) });
    return {
      content: response.choices[0]?.message.content,
      provider: meta.provider,
      model: meta.model,
      fake: meta.fake,
      usage: meta.usage,
    };
  }

  @Post('stream')
  async stream(@Body() { model, text }: Ask) {
    const stream = await this.gateway.chatStream({ model, messages: user(text), stream: true });
    const parts: string[] = [];
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) parts.push(content);
    }
    return { parts, provider: stream.meta.provider, completed: stream.meta.completed };
  }

  @Post('embed')
  async embed(@Body() { model, input }: { model: string; input: string[] }) {
    const { response, meta } = await this.gateway.embed({ model, input, dimensions: 8 });
    return {
      vectors: response.data.map((item) => item.embedding),
      provider: meta.provider,
      usage: meta.usage,
    };
  }

  @Post('parse')
  parse(@Body() { model, text }: Ask): Promise<TaskResult> {
    return this.tasks.execute('parse', { resumeText: text }, { model });
  }
}

function user(text: string): ChatCompletionMessageParam[] {
  return [{ role: 'user', content: text }];
}
