import type { InjectionDetectorConfig } from '../../config/guardrails-config.schema';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import type { GatewayMiddleware, MiddlewareContext } from '../gateway-middleware';
import { refuse } from '../gateway-middleware';
import { ConfiguredGuard } from '../configured-guard';
import type { GuardrailCalls } from '../guardrail-calls';
import { forEachMessageText } from '../message-texts';
import type { InjectionFamily } from './injection-detector';
import { detectInjection } from './injection-detector';
import { InjectionJudge } from './injection-judge';

/**
 * The built-in `prompt_injection_detector`: scores the users' messages and, with
 * `toolResults`, the tool results (an injection hidden in a retrieved document) against the
 * rules of the known families. With a `judge`, a text the rules score at or above
 * `judge.above` goes to an LLM judge whose verdict decides. An injection flags the request
 * (header, usage row, metrics: `flagged:<family>`) or refuses it with 400
 * `prompt_injection_detected`. The system prompt and the assistant's own turns are the
 * operator's and the model's: not scored.
 */
export class InjectionDetector
  extends ConfiguredGuard<InjectionDetectorConfig>
  implements GatewayMiddleware
{
  readonly name = 'prompt_injection_detector';
  private readonly judge: InjectionJudge;

  constructor(settings: () => InjectionDetectorConfig, calls: () => GuardrailCalls) {
    super(settings);
    this.judge = new InjectionJudge(calls);
  }

  beforeRequest(context: MiddlewareContext): void | Promise<void> {
    const settings = this.settings();
    let score = 0;
    let family: InjectionFamily | undefined;
    let worst = '';
    forEachMessageText(context.request.messages, (text, role) => {
      if (role !== 'user' && !(settings.toolResults && role === 'tool')) return;
      const verdict = detectInjection(text, { channel: role === 'tool' ? 'tool_result' : 'user' });
      if (verdict.score > score) {
        score = verdict.score;
        family = verdict.families[0];
        worst = text;
      }
    });
    const judge = settings.judge;
    // The judge clears or confirms the borderline texts only: it never overrules a confident
    // rule match, and when it fails (a timeout, an answer that is not its verdict — which a
    // text may try to provoke) the rules decide.
    if (judge && score >= judge.above && score < settings.threshold) {
      return this.judge.judge(worst, judge, context).then(
        (verdict) => {
          context.state.set('judge', verdict);
          this.decide(context, verdict.injection, family ?? 'judge', verdict.confidence, 'judge');
        },
        () => this.decide(context, false, family ?? 'injection', score, 'rules'),
      );
    }
    this.decide(context, score >= settings.threshold, family ?? 'injection', score, 'rules');
  }

  private decide(
    context: MiddlewareContext,
    injection: boolean,
    family: string,
    score: number,
    by: 'rules' | 'judge',
  ): void {
    if (!injection) {
      context.decide(by === 'judge' ? 'clean:judge' : 'clean');
      return;
    }
    const suffix = by === 'judge' ? `${family}:judge` : family;
    if (this.settings().action === 'block') {
      context.decide(`blocked:${suffix}`);
      throw refuse(
        GatewayErrorCode.PROMPT_INJECTION_DETECTED,
        `The request looks like a prompt injection (${family}, ${by} ${score.toFixed(2)})`,
      );
    }
    context.decide(`flagged:${suffix}`);
  }
}
