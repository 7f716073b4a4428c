import type { ExecutionReport } from '../report/execution-report.ts';
import { volumeIdOf } from '../report/gateway-result.ts';

/** Renders rows as an aligned text table; numbers are right-aligned. */
export function textTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: readonly string[], raw: ReadonlyArray<string | number>) =>
    row
      .map((cell, i) => (typeof raw[i] === 'number' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(cells[0] ?? [], header),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map((row, i) => line(cells[i + 1] ?? [], row)),
  ].join('\n');
}

/** The human summary of a report: a table per gateway, the skip reasons, every failure. */
export function renderReport(report: ExecutionReport): string {
  const perGateway = new Map<
    string,
    { created: number; existing: number; wouldCreate: number; skipped: number; failed: number }
  >();
  const row = (gatewayArn: string) => {
    const found = perGateway.get(gatewayArn) ?? { created: 0, existing: 0, wouldCreate: 0, skipped: 0, failed: 0 };
    perGateway.set(gatewayArn, found);
    return found;
  };
  for (const gateway of report.gateways ?? []) {
    const r = row(gateway.gatewayArn);
    r.created = gateway.counts.created;
    r.existing = gateway.counts.existing;
    r.wouldCreate = gateway.counts.wouldCreate;
    r.skipped = Object.values(gateway.counts.skipped).reduce((a, b) => a + b, 0);
    r.failed = gateway.counts.failed;
  }
  if (!report.gateways) {
    for (const s of report.snapshots) {
      const r = row(s.gatewayArn);
      if (s.status === 'created') r.created += 1;
      else if (s.status === 'existing') r.existing += 1;
      else r.wouldCreate += 1;
    }
    for (const s of report.skipped) row(s.gatewayArn).skipped += 1;
    for (const f of report.failures) row(f.gatewayArn).failed += 1;
  }
  const { summary } = report;
  const sections = [
    textTable(
      ['gateway', report.dryRun ? 'would create' : 'created', 'existing', 'skipped', 'failed'],
      [...perGateway].map(([arn, r]) => [
        volumeIdOf(arn),
        report.dryRun ? r.wouldCreate : r.created,
        r.existing,
        r.skipped,
        r.failed,
      ]),
    ),
    `${summary.gateways} gateways, ${summary.recoveryPoints} recovery points: ` +
      (report.dryRun
        ? `${summary.wouldCreate} would be created`
        : `${summary.created} created, ${summary.existing} existing`) +
      `, ${summary.skipped} skipped, ${summary.failed} failed${report.dryRun ? ' (dry run)' : ''}`,
  ];
  const reasons = Object.entries(summary.skippedByReason);
  if (reasons.length) sections.push(textTable(['skip reason', 'volumes'], reasons));
  if (report.failures.length) {
    sections.push(
      textTable(
        ['failed', 'error', 'cause'],
        report.failures.map((f) => [
          f.volumeArn ? volumeIdOf(f.volumeArn) : volumeIdOf(f.gatewayArn),
          f.error,
          f.cause,
        ]),
      ),
    );
  }
  if (report.omitted)
    sections.push(`Some details were cut to fit the payload limit: ${JSON.stringify(report.omitted)}`);
  return `${sections.join('\n\n')}\n`;
}
