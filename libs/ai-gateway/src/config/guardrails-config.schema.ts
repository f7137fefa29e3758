import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  MinLength,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Flag, Numeric } from './field-coercion';

/** The middleware the gateway ships, by the name a list uses. */
export const BUILT_IN_MIDDLEWARE = [
  'pii_scrubber',
  'prompt_injection_detector',
  'moderation',
  'request_logger',
] as const;
export type BuiltInMiddleware = (typeof BUILT_IN_MIDDLEWARE)[number];

/** A middleware name: a built-in's or a host's registered one. */
export const MIDDLEWARE_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/**
 * What happens when a guard fails or runs out of time: `open` passes the request (counted
 * and logged), `closed` refuses it with 503 `guardrail_unavailable`.
 */
export const FAIL_MODES = ['open', 'closed'] as const;
export type FailMode = (typeof FAIL_MODES)[number];

/** What the PII scrubber does with a finding of a type (`off`: leave it). */
export const PII_ACTIONS = ['mask', 'placeholder', 'block', 'off'] as const;
export type PiiActionSetting = (typeof PII_ACTIONS)[number];

/** What every built-in guard has: its fail mode and the time budget of one hook call. */
export abstract class GuardConfig {
  /** Detection-only guards fail open by default. */
  @IsIn(FAIL_MODES)
  failMode: FailMode = 'open';

  @Numeric()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60_000)
  timeoutMs?: number;
}

/** The action per type of personal data (`guardrails.pii.actions`). */
export class PiiActionsConfig {
  @IsIn(PII_ACTIONS)
  email: PiiActionSetting = 'placeholder';

  @IsIn(PII_ACTIONS)
  phone: PiiActionSetting = 'placeholder';

  @IsIn(PII_ACTIONS)
  card: PiiActionSetting = 'placeholder';

  @IsIn(PII_ACTIONS)
  iban: PiiActionSetting = 'placeholder';

  @IsIn(PII_ACTIONS)
  ssn: PiiActionSetting = 'placeholder';

  @IsIn(PII_ACTIONS)
  ip: PiiActionSetting = 'placeholder';

  /** A key pasted by mistake is not restored into an answer: masked. */
  @IsIn(PII_ACTIONS)
  secret: PiiActionSetting = 'mask';
}

/** `guardrails.pii`: the PII scrubber. */
export class PiiScrubberConfig extends GuardConfig {
  @ValidateNested()
  @Type(() => PiiActionsConfig)
  actions: PiiActionsConfig = new PiiActionsConfig();

  /**
   * Also mask personal data in answers that the request did not hold (an answer quoting
   * someone else's address). Placeholders are restored either way.
   */
  @Flag()
  @IsBoolean()
  scanOutputs = false;

  /** It protects data leaving: closed by default. */
  override failMode: FailMode = 'closed';
}

/** `guardrails.injection.judge`: an LLM asked about prompts the rules find suspicious. */
export class InjectionJudgeConfig {
  /** The model or route that judges (`provider/model` or a route name). */
  @IsString()
  @MinLength(1)
  model!: string;

  /** Rule score from which the judge is asked; its verdict then decides. */
  @Numeric()
  @IsNumber()
  @Min(0)
  @Max(1)
  above = 0.25;

  /** Verdicts kept in memory (by the text's hash), so one text is judged once. */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  cacheEntries = 10_000;
}

/** `guardrails.injection`: the prompt-injection detector. */
export class InjectionDetectorConfig extends GuardConfig {
  /** `flag`: pass it, marked (header, usage row, metrics); `block`: refuse it with 400. */
  @IsIn(['flag', 'block'])
  action: 'flag' | 'block' = 'flag';

  /** Score (0–1) from which a prompt counts as an injection. */
  @Numeric()
  @IsNumber()
  @Min(0.01)
  @Max(1)
  threshold = 0.5;

  /** Also score tool results (indirect injection in retrieved documents). */
  @Flag()
  @IsBoolean()
  toolResults = true;

  @IsOptional()
  @ValidateNested()
  @Type(() => InjectionJudgeConfig)
  judge?: InjectionJudgeConfig;
}

/** `guardrails.moderation`: a provider's moderation endpoint, on prompts and answers. */
export class ModerationConfig extends GuardConfig {
  /** A moderation model served by a provider with the endpoint (OpenAI, Mistral). */
  @IsString()
  @MinLength(1)
  model = 'omni-moderation-latest';

  /** Moderate the users' messages (and tool results) before the request. */
  @Flag()
  @IsBoolean()
  input = true;

  /** Moderate complete answers before the caller gets them (streamed answers are not held). */
  @Flag()
  @IsBoolean()
  output = false;

  /**
   * Score per category from which content is refused (`violence: 0.5`); empty: the
   * provider's own `flagged`. Per route: `routes.<route>` replaces it.
   */
  @IsOptional()
  categories: Record<string, number> = {};

  @IsOptional()
  routes: Record<string, Record<string, number>> = {};
}

/** `guardrails.requestLogger`: one structured log line per request, sampled. */
export class RequestLoggerConfig {
  /** Share of requests logged (0–1). */
  @Numeric()
  @IsNumber()
  @Min(0)
  @Max(1)
  sampleRate = 1;
}

/**
 * `guardrails`: which middleware runs, in which order, and the built-ins' settings. A
 * request runs its key's list (`keys`), else its route's (`routes`), else `middleware`.
 */
export class GuardrailsConfig {
  @IsArray()
  @Matches(MIDDLEWARE_NAME, { each: true })
  middleware: string[] = [];

  /** Lists per route (the model name a request uses), replacing `middleware`. */
  @IsOptional()
  routes: Record<string, string[]> = {};

  /** Lists per gateway key id, replacing the route's and the global one. */
  @IsOptional()
  keys: Record<string, string[]> = {};

  /** Time budget of one hook call when the middleware sets none. */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(60_000)
  timeoutMs = 2_000;

  @ValidateNested()
  @Type(() => PiiScrubberConfig)
  pii: PiiScrubberConfig = new PiiScrubberConfig();

  @ValidateNested()
  @Type(() => InjectionDetectorConfig)
  injection: InjectionDetectorConfig = new InjectionDetectorConfig();

  @ValidateNested()
  @Type(() => ModerationConfig)
  moderation: ModerationConfig = new ModerationConfig();

  @ValidateNested()
  @Type(() => RequestLoggerConfig)
  requestLogger: RequestLoggerConfig = new RequestLoggerConfig();
}
