import * as z from 'zod';
import { InvalidFaultRulesError } from './errors.ts';
import type { Random } from './random.ts';

/** `operation` value that matches every operation of both services. */
export const ANY_OPERATION = '*';

/**
 * One fault rule. It fails matching calls when it names `error`, `rate` or `firstN`;
 * `latencyMs` and `rateLimit` alone only slow or throttle them.
 */
export const FaultRuleSchema = z.strictObject({
  operation: z
    .string()
    .min(1)
    .describe(`Operation name, e.g. CreateSnapshotFromVolumeRecoveryPoint, or ${ANY_OPERATION}.`),
  volumeArn: z.string().optional().describe('Only calls whose VolumeARN is this.'),
  gatewayArn: z
    .string()
    .optional()
    .describe('Only calls whose GatewayARN, or the gateway of whose VolumeARN, is this.'),
  error: z
    .string()
    .min(1)
    .optional()
    .describe('Error name to answer; alone it fails every call. Default: the service internal error.'),
  rate: z.number().min(0).max(1).optional().describe('Probability that a call fails (after the firstN ones).'),
  firstN: z.int().min(0).optional().describe('The first N matching calls fail.'),
  afterEffect: z.boolean().default(false).describe('Perform the operation, then answer the error anyway.'),
  latencyMs: z.int().min(0).default(0).describe('Delay before the call is served; latencies of matching rules add up.'),
  rateLimit: z
    .strictObject({ perSecond: z.number().positive(), burst: z.int().min(1) })
    .optional()
    .describe('Token bucket; calls finding it empty are throttled and have no effect.'),
});

/** A fault rule as a test writes it. */
export type FaultRule = z.input<typeof FaultRuleSchema>;
type ParsedRule = z.output<typeof FaultRuleSchema>;

/** What an injected fault does to one call. */
export interface FaultDecision {
  latencyMs: number;
  throttled: boolean;
  /** The error to answer, if the call fails. */
  error: { name: string | undefined; afterEffect: boolean } | undefined;
}

/** Which gateway and volume a call is about, as the fault rules filter them. */
export interface CallTarget {
  gatewayArn: string | undefined;
  volumeArn: string | undefined;
}

interface RuleState {
  rule: ParsedRule;
  matched: number;
  tokens: number;
  refilledAt: number;
}

/**
 * Decides, call by call, which injected faults fire. Deterministic for a given `random`
 * and clock, so tests can count on which call fails.
 */
export class FaultInjector {
  readonly #random: Random;
  readonly #now: () => number;
  #rules: RuleState[] = [];

  constructor(rules: readonly FaultRule[], random: Random, now: () => number) {
    this.#random = random;
    this.#now = now;
    this.set(rules);
  }

  /**
   * Replaces every rule and forgets what earlier rules counted.
   * @throws {InvalidFaultRulesError}
   */
  set(rules: readonly FaultRule[]): void {
    const parsed = z.array(FaultRuleSchema).safeParse(rules);
    if (!parsed.success) {
      throw new InvalidFaultRulesError(`Invalid fault rules:\n${z.prettifyError(parsed.error)}`, {
        cause: parsed.error,
      });
    }
    const now = this.#now();
    this.#rules = parsed.data.map((rule) => ({
      rule,
      matched: 0,
      tokens: rule.rateLimit?.burst ?? 0,
      refilledAt: now,
    }));
  }

  decide(operation: string, target: CallTarget): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, throttled: false, error: undefined };
    const matching = this.#rules.filter((state) => matches(state.rule, operation, target));
    for (const state of matching) {
      decision.latencyMs += state.rule.latencyMs;
      if (state.rule.rateLimit && !this.#takeToken(state, state.rule.rateLimit)) decision.throttled = true;
    }
    if (decision.throttled) return decision;
    for (const state of matching) {
      state.matched += 1;
      if (!decision.error && this.#fails(state)) {
        decision.error = { name: state.rule.error, afterEffect: state.rule.afterEffect };
      }
    }
    return decision;
  }

  #fails({ rule, matched }: RuleState): boolean {
    if (rule.firstN !== undefined && matched <= rule.firstN) return true;
    if (rule.rate !== undefined) return this.#random() < rule.rate;
    return rule.firstN === undefined && rule.error !== undefined;
  }

  #takeToken(state: RuleState, limit: { perSecond: number; burst: number }): boolean {
    const now = this.#now();
    state.tokens = Math.min(limit.burst, state.tokens + ((now - state.refilledAt) / 1000) * limit.perSecond);
    state.refilledAt = now;
    if (state.tokens < 1) return false;
    state.tokens -= 1;
    return true;
  }
}

function matches(rule: ParsedRule, operation: string, target: CallTarget): boolean {
  return (
    (rule.operation === ANY_OPERATION || rule.operation === operation) &&
    (rule.volumeArn === undefined || rule.volumeArn === target.volumeArn) &&
    (rule.gatewayArn === undefined || rule.gatewayArn === target.gatewayArn)
  );
}
