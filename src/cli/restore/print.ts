import { volumeIdOf } from '../../report/gateway-report.ts';
import type { RestoreDigest, RestoreReport, RestoreVolumeRow } from '../../restore/report.ts';
import { formatDuration } from '../drill-report/facts.ts';
import type { CliIo } from '../io.ts';
import { type ExecutionSeen, failureLine, outcomeOf } from '../outcome.ts';
import { consoleLinkOf } from '../sfn/console-link.ts';

/**
 * Prints how a restore ended on stdout: with `json`, its whole report (or digest), which names each restored
 * volume with its source snapshot; else a headline, the preflight's problems and a line per volume.
 */
export function printRestoreOutcome(
  io: CliIo,
  execution: ExecutionSeen,
  result: { report?: RestoreReport | undefined; digest?: RestoreDigest | undefined },
  json: boolean,
  consoleLink = false,
): void {
  const { description } = execution;
  const shown = result.report ?? result.digest;
  if (json) {
    const fallback = { status: description.status, error: description.error, cause: description.cause };
    io.stdout.write(`${JSON.stringify(shown ?? fallback, null, 2)}\n`);
    return;
  }
  const link = consoleLink ? `${consoleLinkOf(description.executionArn)}\n` : '';
  io.stdout.write(`Restore ${description.name} ${description.status}\n${description.executionArn}\n${link}\n`);
  if (!shown) {
    if (description.status !== 'RUNNING') io.stdout.write(`${failureLine(outcomeOf(execution))}\n`);
    return;
  }
  const { summary } = shown;
  io.stdout.write(
    `volumes ${summary.volumes} · restored ${summary.restored} · failed ${summary.failed} · not restorable ${summary.notRestorable}` +
      (shown.test ? ` · cleaned up ${summary.cleanedUp} · left behind ${summary.leftBehind}` : '') +
      (summary.slowestRtoMs === undefined ? '' : ` · slowest RTO ${formatDuration(summary.slowestRtoMs)}`) +
      '\n',
  );
  for (const problem of shown.preflight) {
    io.stdout.write(`PREFLIGHT ${problem.check} ${volumeIdOf(problem.subject)}: ${problem.message}\n`);
  }
  for (const row of result.report?.volumes ?? []) io.stdout.write(`${volumeLine(row)}\n`);
  for (const volume of result.report?.notRestorable ?? []) {
    const asked = volume.requested ? ' (asked for with --volume: the restore fails)' : '';
    io.stdout.write(`${sourceOf(volume)}  not restorable: ${volume.reason}${asked}\n`);
  }
}

/** `vol-1122AABB on sgw-12A3456B (branch-office-1)`: the source volume, its gateway and the gateway's name. */
function sourceOf(row: Pick<RestoreVolumeRow, 'sourceVolumeArn' | 'sourceGatewayArn' | 'sourceGatewayName'>): string {
  const name = row.sourceGatewayName ? ` (${row.sourceGatewayName})` : '';
  return `${volumeIdOf(row.sourceVolumeArn)} on ${volumeIdOf(row.sourceGatewayArn)}${name}`;
}

function volumeLine(row: RestoreVolumeRow): string {
  const restored = row.restoredVolume ? volumeIdOf(row.restoredVolume) : '-';
  const rto =
    row.rtoMs === undefined ? '' : ` RTO ${formatDuration(row.rtoMs)}${row.rtoMet === false ? ' (over target)' : ''}`;
  const cleanup = row.cleanup?.deleted
    ? ' · deleted'
    : row.cleanup?.failure
      ? ` · NOT DELETED: ${row.cleanup.failure.Error}`
      : '';
  const failure = row.failure ? ` · ${row.failure.Error}` : '';
  return `${sourceOf(row)}  ${row.snapshotId} → ${restored}  ${row.state.toUpperCase()}${row.status ? ` (${row.status})` : ''}${rto}${failure}${cleanup}`;
}
