/** OpenAI's own OpenAPI specification: the shapes of the OpenAI-compatible doors. */
export const OPENAI_SPEC_URL = 'https://github.com/openai/openai-openapi';

/** Anthropic's API reference: the shapes of the Messages API. */
export const ANTHROPIC_DOCS_URL = 'https://docs.anthropic.com/en/api/messages';

/** The areas of the API, in the order the docs page lists them. */
export const API_TAGS = {
  adminKeys: {
    name: 'Admin keys',
    description: 'Gateway keys: issue, inspect, limit, disable, rotate (admin key).',
  },
  usage: { name: 'Usage', description: 'The usage log, summed or row by row.' },
  tasks: {
    name: 'Tasks',
    description: 'Resume tasks and the tasks a deployment defines: inline, or as a job.',
  },
  jobs: { name: 'Jobs', description: 'Queued tasks: state, result, retry.' },
  providers: {
    name: 'Providers',
    description: 'Circuits, measured latency and a live self-test of the configured providers.',
  },
  health: { name: 'Health', description: 'Liveness and readiness probes.' },
  metrics: { name: 'Metrics', description: 'Prometheus metrics.' },
  openai: {
    name: 'OpenAI-compatible',
    description: "OpenAI's API, served by any configured provider.",
    externalDocs: { description: "OpenAI's OpenAPI specification", url: OPENAI_SPEC_URL },
  },
  anthropic: {
    name: 'Anthropic-compatible',
    description: "Anthropic's Messages API, served by any configured provider.",
    externalDocs: { description: "Anthropic's API reference", url: ANTHROPIC_DOCS_URL },
  },
  docs: { name: 'API docs', description: 'This document and its page.' },
} as const;
