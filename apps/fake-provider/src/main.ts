import { startFakeProvider } from '@ai-gateway/fake-provider';

/**
 * The fake provider as its own process, for docker-compose and demos: it speaks the
 * OpenAI, Anthropic, Gemini and Ollama wire formats and answers as no real model does
 * (echo by default; scripts via the `x-fake-script` header or `POST /_fake/scripts`).
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 9090);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(
      `PORT: must be an integer between 0 and 65535 (got "${process.env.PORT}")\n`,
    );
    process.exit(1);
  }
  const host = process.env.HOST?.trim() || '0.0.0.0';
  const server = await startFakeProvider({ port, host });
  log('info', 'fake provider listening (not a real model)', {
    url: server.url,
    openai: `${server.url}/openai/v1`,
    anthropic: `${server.url}/anthropic`,
    gemini: `${server.url}/gemini`,
    ollama: `${server.url}/ollama`,
  });

  let closing = false;
  const close = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    // close() also drops open connections, so a hanging scripted stream cannot stall it.
    server.close().then(
      () => {
        log('info', 'fake provider stopped', { signal });
        process.exit(0);
      },
      (error: unknown) => {
        log('error', 'fake provider failed to stop', { signal, error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}

/** One JSON line in the shape the gateway and worker log (`level`, `time`, `service`, `msg`). */
function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown>): void {
  const line = { level, time: new Date().toISOString(), service: 'fake-provider', msg, ...fields };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fake provider failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
