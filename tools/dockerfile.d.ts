// Types of tools/dockerfile.js (CommonJS, shared by the specs and tools/docker-steps.mjs).
export interface Instruction {
  keyword: string;
  args: string;
  /** Exec-form (JSON array) arguments, when written so. */
  json?: string[];
  /** `--name=value` flags (`COPY --from=build`). */
  flags: Record<string, string>;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[];
export function parseEnv(args: string): Record<string, string>;
export function dockerIgnore(text: string): (path: string) => boolean;
