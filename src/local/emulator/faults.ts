import * as z from 'zod';
import { InvalidFaultRulesError } from './errors.ts';
import type { Random } from './random.ts';

/** `operation` value that matches every operation of both services. */
export const ANY_OPERATION = '*';

/**
 * How a failing call fails:
 * - `error`: the service answers its own error (`error`, or its internal error);
 * - `reset`: the server destroys the connection without an answer (the SDK says `TimeoutError`, code
 *   `ECONNRESET`, "socket hang up");
 * - `hang`: no answer at all, until the client gives up (its request timeout) or the emulator closes;
 * - `html`: a 5xx whose body is an HTML page, as a load balancer in front of the service answers it.
 * Each happens before the operation took effect, or after it with `afterEffect`.
 */
export const FAULT_KINDS = ['error', 'reset', 'hang', 'html'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/** The status of an `html` answer unless the rule says otherwise: what a load balancer says of a backend it lost. */
export const DEFAULT_HTML_STATUS = 503;

/**
 * One fault rule. It fails matching calls when it names `error`, a `kind` other than `error`, `rate` or
 * `firstN`; `latencyMs`, `rateLimit` and `visibilityLagMs` alone only slow, throttle or hide.
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
  snapshotId: z
    .string()
    .optional()
    .describe(
      'Only EC2 calls that name this snapshot (SnapshotId), e.g. a DeleteSnapshot answered InvalidSnapshot.InUse.',
    ),
  error: z
    .string()
    .min(1)
    .optional()
    .describe('Error name to answer; alone it fails every call. Default: the service internal error.'),
  rate: z.number().min(0).max(1).optional().describe('Probability that a call fails (after the firstN ones).'),
  firstN: z.int().min(0).optional().describe('The first N matching calls fail.'),
  kind: z.enum(FAULT_KINDS).default('error').describe('How a failing call fails: error, reset, hang or html.'),
  htmlStatus: z.int().min(500).max(599).default(DEFAULT_HTML_STATUS).describe('HTTP status of a `kind: html` answer.'),
  afterEffect: z.boolean().default(false).describe('Perform the operation, then fail the call anyway.'),
  latencyMs: z.int().min(0).default(0).describe('Delay before the call is served; latencies of matching rules add up.'),
  rateLimit: z
    .strictObject({
      perSecond: z.number().positive().describe('Tokens added per second.'),
      burst: z.int().min(1).describe('Tokens the bucket holds, and starts with.'),
    })
    .optional()
    .describe('Token bucket; calls finding it empty are throttled and have no effect.'),
  visibilityLagMs: z
    .int()
    .min(0)
    .optional()
    .describe(
      'EC2 eventual consistency: a snapshot a matching call makes is not shown by DescribeSnapshots and is refused by CreateTags (InvalidSnapshot.NotFound) for this long.',
    ),
});

/** A fault rule as a test writes it. */
export type FaultRule = z.input<typeof FaultRuleSchema>;
type ParsedRule = z.output<typeof FaultRuleSchema>;

/** How one call fails. */
export interface InjectedFailure {
  kind: FaultKind;
  /** The service error to answer when `kind` is `error`; `undefined` is the service's internal error. */
  name: string | undefined;
  /** The status of an `html` answer. */
  htmlStatus: number;
  afterEffect: boolean;
}

/** What injected faults do to one call. */
export interface FaultDecision {
  latencyMs: number;
  throttled: boolean;
  /** How the call fails, if it does. */
  error: InjectedFailure | undefined;
  /** How long a snapshot the call makes stays out of EC2's sight: the longest lag of the matching rules. */
  visibilityLagMs: number;
}

/** Which gateway and volume a call is about, as the fault rules filter them. */
export interface CallTarget {
  gatewayArn: string | undefined;
  volumeArn: string | undefined;
  /** The snapshot an EC2 call names (`SnapshotId`), if any. */
  snapshotId?: string | undefined;
}

interface RuleState {
  rule: ParsedRule;
  matched: number;
  tokens: number;
  refilledAt: number;
}

/**
 * Decides, call by call, which injected faults fire. Deterministic for a given `random`
 * and clock, so tests can count on which call fails. Two lists of rules apply to every call: the cloud's
 * (what AWS always does, see `DEFAULT_CLOUD_RULES`), fixed at construction, and the faults a test sets.
 */
export class FaultInjector {
  readonly #random: Random;
  readonly #now: () => number;
  readonly #cloud: RuleState[];
  #rules: RuleState[] = [];

  /**
   * @param cloud rules that `set` never replaces
   * @throws {InvalidFaultRulesError}
   */
  constructor(rules: readonly FaultRule[], random: Random, now: () => number, cloud: readonly FaultRule[] = []) {
    this.#random = random;
    this.#now = now;
    this.#cloud = this.#parse(cloud);
    this.set(rules);
  }

  /**
   * Replaces every fault rule (not the cloud's) and forgets what earlier rules counted.
   * @throws {InvalidFaultRulesError}
   */
  set(rules: readonly FaultRule[]): void {
    this.#rules = this.#parse(rules);
  }

  /**
   * What the faults do to one call. A test's rule that sets `rateLimit` or `visibilityLagMs` for a call replaces
   * the cloud's buckets or lag for it (`visibilityLagMs: 0` switches the lag off); every other field adds up.
   */
  decide(operation: string, target: CallTarget): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, throttled: false, error: undefined, visibilityLagMs: 0 };
    const own = this.#rules.filter((state) => matches(state.rule, operation, target));
    const cloud = this.#cloud.filter((state) => matches(state.rule, operation, target));
    const matching = [...cloud, ...own];
    const limiting = own.some((state) => state.rule.rateLimit) ? own : matching;
    const lagging = own.some((state) => state.rule.visibilityLagMs !== undefined) ? own : matching;
    for (const state of matching) decision.latencyMs += state.rule.latencyMs;
    for (const state of limiting) {
      if (state.rule.rateLimit && !this.#takeToken(state, state.rule.rateLimit)) decision.throttled = true;
    }
    if (decision.throttled) return decision;
    for (const state of lagging) {
      decision.visibilityLagMs = Math.max(decision.visibilityLagMs, state.rule.visibilityLagMs ?? 0);
    }
    for (const state of matching) {
      state.matched += 1;
      if (!decision.error && this.#fails(state)) {
        const { kind, error, htmlStatus, afterEffect } = state.rule;
        decision.error = { kind, name: error, htmlStatus, afterEffect };
      }
    }
    return decision;
  }

  #parse(rules: readonly FaultRule[]): RuleState[] {
    const parsed = z.array(FaultRuleSchema).safeParse(rules);
    if (!parsed.success) {
      throw new InvalidFaultRulesError(`Invalid fault rules:\n${z.prettifyError(parsed.error)}`, {
        cause: parsed.error,
      });
    }
    const now = this.#now();
    return parsed.data.map((rule) => ({ rule, matched: 0, tokens: rule.rateLimit?.burst ?? 0, refilledAt: now }));
  }

  #fails({ rule, matched }: RuleState): boolean {
    if (rule.firstN !== undefined && matched <= rule.firstN) return true;
    if (rule.rate !== undefined) return this.#random() < rule.rate;
    return rule.firstN === undefined && (rule.error !== undefined || rule.kind !== 'error');
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
    (rule.gatewayArn === undefined || rule.gatewayArn === target.gatewayArn) &&
    (rule.snapshotId === undefined || rule.snapshotId === target.snapshotId)
  );
}
