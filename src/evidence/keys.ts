import type { EvidenceLocation } from './location.ts';

/** Every execution's evidence lives under this prefix. */
export const EXECUTIONS_PREFIX = 'executions/';

/** The objects of one execution, relative to its prefix. */
export const EVIDENCE_FILES = {
  report: 'report.json',
  manifest: 'manifest.json',
  csv: 'report.csv',
  gatewaysFolder: 'gateways/',
} as const;

/** The execution whose evidence is addressed: names as Step Functions reports them (`$$.StateMachine.Name`, `$$.Execution.Name`). */
export interface ExecutionRef {
  readonly stateMachineName: string;
  readonly executionName: string;
}

/** The locations of one execution's evidence. */
export interface ExecutionEvidence {
  /** `executions/<state machine name>/<execution name>/`, ending in a slash. */
  readonly prefix: string;
  readonly report: EvidenceLocation;
  readonly manifest: EvidenceLocation;
  readonly csv: EvidenceLocation;
  /** The object of one gateway, `gateways/<gateway id>.json`. */
  gateway(gatewayId: string): EvidenceLocation;
}

// Step Functions forbids "/", whitespace, control characters and the characters S3 asks to avoid
// (\ ^ ` { } [ ] < > # % " | ~) in state machine and execution names, and caps them at 80 characters:
// each name is exactly one key segment, and a prefix is far below S3's 1,024-byte key limit. The guard
// only stops a caller that passes something else (an ARN, an empty string).
const UNSAFE_SEGMENT = /[/\\\p{Cc}]|^\.{0,2}$/u;
// Storage Gateway IDs are "sgw-" and hexadecimal digits.
const GATEWAY_ID = /^sgw-[0-9A-Za-z]+$/;

function segment(what: string, value: string): string {
  if (UNSAFE_SEGMENT.test(value)) throw new RangeError(`${what} ${JSON.stringify(value)} is not one S3 key segment`);
  return value;
}

/** `executions/<state machine name>/<execution name>/`. */
export function executionPrefix(execution: ExecutionRef): string {
  const stateMachine = segment('state machine name', execution.stateMachineName);
  return `${EXECUTIONS_PREFIX}${stateMachine}/${segment('execution name', execution.executionName)}/`;
}

/** The locations of an execution's evidence in `bucket`. */
export function executionEvidence(bucket: string, execution: ExecutionRef): ExecutionEvidence {
  const prefix = executionPrefix(execution);
  const at = (name: string): EvidenceLocation => ({ bucket, key: `${prefix}${name}` });
  return {
    prefix,
    report: at(EVIDENCE_FILES.report),
    manifest: at(EVIDENCE_FILES.manifest),
    csv: at(EVIDENCE_FILES.csv),
    gateway(gatewayId) {
      if (!GATEWAY_ID.test(gatewayId)) throw new RangeError(`${JSON.stringify(gatewayId)} is not a gateway ID`);
      return at(`${EVIDENCE_FILES.gatewaysFolder}${gatewayId}.json`);
    },
  };
}

// arn:<partition>:states:<region>:<account>:execution:<state machine name>:<execution name>
const EXECUTION_ARN = /^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:execution:([^:/]+):([^:/]+)$/;

/**
 * The state machine and execution names of a standard execution's ARN; `undefined` for anything
 * else, Map Run children (`execution:<name>/<label>:<id>`) included: their evidence is their parent's.
 */
export function executionRefFromArn(executionArn: string): ExecutionRef | undefined {
  const match = EXECUTION_ARN.exec(executionArn);
  if (!match?.[1] || !match[2]) return undefined;
  return { stateMachineName: match[1], executionName: match[2] };
}
