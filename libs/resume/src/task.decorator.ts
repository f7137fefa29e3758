import { DiscoveryService } from '@nestjs/core';

/** The discoverable marker behind {@link Task}; its key is what the registry looks up. */
export const TASK_HANDLER = DiscoveryService.createDecorator<string>();

/** Task names: the wire name of `POST /v1/tasks` `type`, a metric label and a schema name. */
export const TASK_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Makes a provider the handler of the task `name`, like `@Processor('queue')` of
 * @nestjs/bullmq: the class implements `TaskHandler`, is listed in the providers of any
 * module of the app, and `TaskRegistry` finds it at boot. Boot fails when two handlers
 * (or a handler and a YAML definition) claim one name, or the name is not
 * `[a-z][a-z0-9_]{0,63}`.
 *
 * ```ts
 * @Task('invoice_check')
 * @Injectable()
 * export class InvoiceCheckHandler implements TaskHandler<InvoiceInput, InvoiceVerdict> { … }
 * ```
 */
export function Task(name: string): ClassDecorator {
  return TASK_HANDLER(name);
}
