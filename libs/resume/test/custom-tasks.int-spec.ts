import { Injectable, Module } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { AiGatewayModule } from '@ai-gateway/core';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { join } from 'node:path';
import { tasksSection } from '../src/config/tasks.section';
import { TaskErrorCode } from '../src/errors/task.error';
import { ResumeModule } from '../src/resume.module';
import { StructuredCompletionService } from '../src/structured/structured-completion.service';
import type { TaskOutputSpec } from '../src/structured/task-output-spec';
import { taskResultOf } from '../src/structured/task-result.factory';
import { Task } from '../src/task.decorator';
import type { TaskContext, TaskHandler } from '../src/task-handler.interface';
import { TaskModels } from '../src/task-models';
import { TaskRegistry } from '../src/task.registry';
import type { TaskResult } from '../src/task-result';

const INVOICE_CHECK = join(__dirname, '..', '..', '..', 'config', 'tasks', 'invoice_check.yaml');
const INVOICE = 'Invoice INV-7\nSupplier: Initech GmbH\nTotal: EUR 200.00';

/** A service of the host's own, injected into its handler like any other dependency. */
@Injectable()
class StopWords {
  readonly words = new Set(['Supplier', 'Total']);
}

type KeywordsInput = { text: string };
type Keywords = { keywords: string[] };

const KEYWORDS_SPEC: TaskOutputSpec<KeywordsInput, Keywords> = {
  name: 'extract_keywords',
  jsonSchema: {
    type: 'object',
    properties: { keywords: { type: 'array', items: { type: 'string' } } },
    required: ['keywords'],
    additionalProperties: false,
  },
  check: (answer, input) => {
    const keywords = (answer as Partial<Keywords>).keywords;
    if (!Array.isArray(keywords)) return { ok: false, problems: ['keywords must be a list'] };
    const missing = keywords.filter((k) => typeof k !== 'string' || !input.text.includes(k));
    return missing.length > 0
      ? { ok: false, problems: [`not in the text: ${missing.join(', ')}`] }
      : { ok: true, value: { keywords } };
  },
};

/** The host's own task, written as a host would: a class, `@Task`, the engine's services. */
@Task('extract_keywords')
@Injectable()
class ExtractKeywordsHandler implements TaskHandler<KeywordsInput, Keywords> {
  constructor(
    private readonly structured: StructuredCompletionService,
    private readonly models: TaskModels,
    private readonly stopWords: StopWords,
  ) {}

  validateInput(input: unknown): KeywordsInput {
    const text = (input as Partial<KeywordsInput> | null)?.text;
    if (typeof text !== 'string') throw new Error('text is required');
    return { text };
  }

  sizeOf(input: KeywordsInput): number {
    return input.text.length;
  }

  async run(input: KeywordsInput, ctx: TaskContext): Promise<TaskResult<Keywords>> {
    const result = await this.structured.complete(
      {
        task: 'extract_keywords',
        model: this.models.modelFor('extract_keywords', ctx.model),
        messages: [
          { role: 'system', content: 'List the keywords of the text.' },
          { role: 'user', content: input.text },
        ],
        spec: KEYWORDS_SPEC,
        input,
      },
      ctx,
    );
    const keywords = result.value.keywords.filter((k) => !this.stopWords.words.has(k));
    return taskResultOf('extract_keywords', { keywords }, result);
  }
}

/** The host's own module: it imports ResumeModule for the engine's services. */
@Module({ imports: [ResumeModule], providers: [StopWords, ExtractKeywordsHandler] })
class HostTasksModule {}

/** A YAML definition that claims the host handler's name. */
@Task('invoice_check')
@Injectable()
class ClashingInvoiceHandler extends ExtractKeywordsHandler {}

@Module({ imports: [ResumeModule], providers: [StopWords, ClashingInvoiceHandler] })
class ClashingModule {}

/**
 * Tasks beyond the resume ones, through a real `TestingModule` and the fake provider over
 * HTTP: a host's own `@Task` handler in a module of its own (with its own dependencies),
 * and a YAML task of `tasks.definitions` — both run by `TaskRegistry` like the built-ins.
 */
describe('custom tasks through ResumeModule (integration)', () => {
  let fake: FakeProviderServer;
  let module: TestingModule | undefined;

  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(() => fake.close());
  afterEach(async () => {
    fake.reset();
    // A module whose init failed rejects close() with the same error: nothing left to close.
    await module?.close().catch(() => undefined);
    module = undefined;
  });

  async function boot(host: unknown[], definitions = [INVOICE_CHECK]): Promise<TaskRegistry> {
    module = await Test.createTestingModule({
      imports: [
        AiGatewayModule.forRoot({
          config: {
            providers: {
              vllm: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['m1'] },
            },
            routes: { resume: { targets: ['vllm/m1'] } },
            cache: { backend: 'disabled' },
            tasks: { definitions },
          },
          env: { AI_GATEWAY_STORE: 'memory' },
          configSections: [tasksSection],
          isGlobal: true,
        }),
        ResumeModule,
        ...(host as never[]),
      ],
    }).compile();
    await module.init();
    return module.get(TaskRegistry);
  }

  const chatBody = (index: number) =>
    fake.requests.filter((r) => r.operation === 'chat')[index]?.body as {
      response_format: { json_schema: { name: string; schema: Record<string, unknown> } };
      messages: Array<{ role: string; content: string }>;
    };

  it('registers the host handler and the YAML task next to the built-ins', async () => {
    const registry = await boot([HostTasksModule]);
    expect(registry.types()).toEqual([
      'parse',
      'score',
      'optimize',
      'test',
      'extract_keywords',
      'invoice_check',
    ]);
  });

  it('runs the host handler through the engine: structured output, checks, its own services', async () => {
    const registry = await boot([HostTasksModule]);
    fake.enqueue({ text: JSON.stringify({ keywords: ['Supplier', 'Initech'] }) });
    const result = await registry.execute('extract_keywords', { text: INVOICE }, {});
    expect(result).toMatchObject({
      type: 'extract_keywords',
      output: { keywords: ['Initech'] },
      model: { provider: 'vllm', model: 'm1' },
    });
    expect(chatBody(0).response_format.json_schema.name).toBe('extract_keywords');
  });

  it('runs the YAML task: its prompt rendered, its schema sent closed, its answer checked', async () => {
    const registry = await boot([]);
    const answer = { decision: 'PASS', reasons: ['Complete'], evidence: ['Total: EUR 200.00'] };
    fake.enqueue({ text: JSON.stringify(answer) });
    const result = await registry.execute('invoice_check', { invoiceText: INVOICE });
    expect(result).toMatchObject({ type: 'invoice_check', output: answer });
    const body = chatBody(0);
    expect(body.response_format.json_schema).toMatchObject({
      name: 'invoice_check',
      schema: { type: 'object', additionalProperties: false },
    });
    expect(body.messages[0].content).toMatch(/^You review supplier invoices/);
    expect(body.messages[0].content).toContain('Answer with one JSON object');
    expect(body.messages[1].content).toBe(
      `<invoice>\n${INVOICE}\n</invoice>\n<policy>\n\n</policy>\n`,
    );
  });

  it('fails at boot when a host handler claims a YAML task’s name', async () => {
    await expect(boot([ClashingModule])).rejects.toMatchObject({
      code: TaskErrorCode.INVALID_DEFINITION,
      message: expect.stringContaining(
        `task "invoice_check" is claimed more than once: provider ClashingInvoiceHandler, ${INVOICE_CHECK}`,
      ) as string,
    });
  });

  it('fails at boot when a definition cannot be read, naming the file', async () => {
    await expect(boot([], ['config/tasks/no-such-task.yaml'])).rejects.toMatchObject({
      code: TaskErrorCode.INVALID_DEFINITION,
      message: expect.stringContaining('config/tasks/no-such-task.yaml: cannot be read') as string,
    });
  });
});
