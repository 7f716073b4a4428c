import type { EvidenceLocations, ReportDigest } from '../report/execution-report.ts';
import { volumeIdOf } from '../report/gateway-report.ts';
import { formatAge, type RpoFigures, type StaleVolume } from './rpo.ts';

/** What a person reads: an SNS subject (printable ASCII, under 100 characters) and a short text. */
export interface Notice {
  subject: string;
  message: string;
}

/** The `detail` of EventBridge's "Step Functions Execution Status Change" event, the fields a notice reads. */
export interface ExecutionEnded {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  /** Milliseconds since the epoch. */
  startDate?: number | null;
  stopDate?: number | null;
  output?: string | null;
  error?: string | null;
  cause?: string | null;
}

/** The `detail` of EventBridge's "CloudWatch Alarm State Change" event, the fields a notice reads. */
export interface AlarmChanged {
  alarmName: string;
  state: { value: string; reason?: string; timestamp?: string };
}

/** Where a notice points: the Region of the console links, the stack, and what the newest evidence shows. */
export interface NoticeContext {
  region: string;
  /** The stack's name, the subject's prefix. */
  stack: string;
  /** The RPO now, from the execution's manifest; absent when it wrote none. */
  rpo?: RpoFigures;
  /** The evidence of the execution, where it is (or would be). */
  evidence?: EvidenceLocations;
}

/** How many stale volumes and failures a notice lists; the rest are counted and are in the evidence. */
export const NOTICE_LIST_LENGTH = 20;
// SNS Publish: a subject "must be less than 100 characters long", ASCII, without line breaks.
const SUBJECT_LENGTH = 99;

/**
 * The digest an ended execution carries: the cause of `SnapshotsFailed`, or the output of a succeeded execution
 * (Summarise's result). `undefined` when it ended before Summarise, or the text is not a digest.
 */
export function digestOfExecution(ended: ExecutionEnded): ReportDigest | undefined {
  const parsed = parseJson(ended.status === 'SUCCEEDED' ? ended.output : ended.cause);
  const digest = (ended.status === 'SUCCEEDED' ? (parsed as { digest?: unknown } | undefined)?.digest : parsed) as
    | Partial<ReportDigest>
    | undefined;
  return digest && typeof digest.summary === 'object' && Array.isArray(digest.failures)
    ? (digest as ReportDigest)
    : undefined;
}

/** The notice of an execution that ended (failed, timed out, aborted, or succeeded when drills ask for it). */
export function executionNotice(
  ended: ExecutionEnded,
  digest: ReportDigest | undefined,
  context: NoticeContext,
): Notice {
  const lines = [
    `Execution ${ended.name} of ${stateMachineName(ended.stateMachineArn)} ${ended.status}` +
      `${ended.stopDate ? ` at ${new Date(ended.stopDate).toISOString()}` : ''}` +
      `${ended.startDate ? ` (started ${new Date(ended.startDate).toISOString()})` : ''}.`,
  ];
  if (ended.error) lines.push(`Error: ${ended.error}${digest ? '' : `: ${oneLine(ended.cause ?? '')}`}`);
  if (digest) lines.push('', ...digestLines(digest));
  else lines.push('', 'No report: the execution ended before it summarised its gateways.');
  lines.push('', ...rpoLines(context.rpo));
  lines.push('', `Execution: ${executionConsoleUrl(context.region, ended.executionArn)}`);
  lines.push(...evidenceLines(context.evidence));
  const failed = digest ? `, ${digest.summary.failed} failed` : '';
  const stale = context.rpo ? `, ${context.rpo.stale.length} stale` : '';
  return {
    subject: subject(`[${context.stack}] ${ended.status}: ${ended.name}${failed}${stale}`),
    message: text(lines),
  };
}

/** The newest execution the stale-volume notice reads its evidence from. */
export interface NewestExecution {
  executionArn: string;
  name: string;
  status: string;
  stopDate?: Date;
}

/** The notice of the stale-volume alarm: which volumes, how old, from the newest execution's manifest. */
export function staleVolumesNotice(
  alarm: AlarmChanged,
  newest: NewestExecution | undefined,
  context: NoticeContext,
): Notice {
  const lines = [`Alarm ${alarm.alarmName} is ${alarm.state.value}: ${alarm.state.reason ?? ''}`.trimEnd()];
  lines.push('');
  if (newest) {
    lines.push(
      `Newest execution: ${newest.name}, ${newest.status}` +
        `${newest.stopDate ? ` at ${newest.stopDate.toISOString()}` : ''}`,
    );
  } else {
    lines.push('No ended execution was found to name the volumes.');
  }
  lines.push(...rpoLines(context.rpo));
  lines.push('', `Alarm: ${alarmConsoleUrl(context.region, alarm.alarmName)}`);
  if (newest) lines.push(`Execution: ${executionConsoleUrl(context.region, newest.executionArn)}`);
  lines.push(...evidenceLines(context.evidence));
  const count = context.rpo ? `${context.rpo.stale.length} of ${context.rpo.volumes} volumes` : 'volumes';
  return { subject: subject(`[${context.stack}] ALARM: ${count} past the RPO target`), message: text(lines) };
}

function digestLines(digest: ReportDigest): string[] {
  const { summary } = digest;
  const lines = [
    `${summary.gateways} gateways, ${summary.recoveryPoints} recovery points: ` +
      `${digest.dryRun ? `${summary.wouldCreate} would be created (dry run)` : `${summary.created} created`}, ` +
      `${summary.existing} existing, ${summary.skipped} skipped, ${summary.failed} failed.`,
  ];
  if (digest.failures.length) {
    lines.push(`Failed${summary.failed > digest.failures.length ? ` (first ${digest.failures.length})` : ''}:`);
    for (const f of digest.failures) {
      const where = f.volumeArn ? `${volumeIdOf(f.gatewayArn)} ${volumeIdOf(f.volumeArn)}` : volumeIdOf(f.gatewayArn);
      lines.push(`  ${where}: ${f.error}: ${oneLine(f.cause)}`);
    }
  }
  return lines;
}

function rpoLines(rpo: RpoFigures | undefined): string[] {
  if (!rpo) return ['RPO: unknown (no manifest to measure it from).'];
  const lines = [
    `RPO now: worst ${formatAge(rpo.worstSeconds)}, median ${formatAge(rpo.medianSeconds)}; ` +
      `${rpo.stale.length} of ${rpo.volumes} volumes have no usable snapshot within ${rpo.targetHours}h.`,
  ];
  for (const volume of rpo.stale.slice(0, NOTICE_LIST_LENGTH)) lines.push(`  ${staleLine(volume)}`);
  if (rpo.stale.length > NOTICE_LIST_LENGTH) {
    lines.push(`  … and ${rpo.stale.length - NOTICE_LIST_LENGTH} more (manifest.json lists every volume).`);
  }
  return lines;
}

function staleLine(volume: StaleVolume): string {
  const gateway = volume.gatewayName
    ? `${volume.gatewayName} (${volumeIdOf(volume.gatewayArn)})`
    : volumeIdOf(volume.gatewayArn);
  const age =
    volume.ageSeconds === null
      ? `no snapshot${volume.reason ? ` (${volume.reason})` : ''}`
      : formatAge(volume.ageSeconds);
  return `${gateway} ${volumeIdOf(volume.volumeArn)}: ${age}`;
}

function evidenceLines(evidence: EvidenceLocations | undefined): string[] {
  if (!evidence) return [];
  return [
    `Evidence: ${evidence.prefix} (report.json, manifest.json, report.csv)`,
    `  ${s3ConsoleUrl(evidence.prefix)}`,
  ];
}

/** The console page of an execution. */
export function executionConsoleUrl(region: string, executionArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

/** The console page of an alarm. */
export function alarmConsoleUrl(region: string, alarmName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`;
}

/** `s3://bucket/prefix/` → the S3 console's view of that folder. */
export function s3ConsoleUrl(uri: string): string {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!match) return uri;
  return `https://s3.console.aws.amazon.com/s3/buckets/${match[1]}?prefix=${encodeURIComponent(match[2] ?? '')}`;
}

function stateMachineName(stateMachineArn: string): string {
  return stateMachineArn.slice(stateMachineArn.lastIndexOf(':') + 1);
}

function parseJson(value: string | null | undefined): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function oneLine(value: string): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** SNS takes a subject of printable ASCII, without line breaks, of at most 100 characters. */
function subject(value: string): string {
  const ascii = value.replace(/[^\x20-\x7E]/g, '?');
  return ascii.length > SUBJECT_LENGTH ? `${ascii.slice(0, SUBJECT_LENGTH - 3)}...` : ascii;
}

function text(lines: readonly string[]): string {
  return `${lines.join('\n')}\n`;
}
