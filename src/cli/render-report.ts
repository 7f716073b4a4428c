import { copiesTable } from '../copies/report.ts';
import type { ExecutionReport } from '../report/execution-report.ts';
import { volumeIdOf } from '../report/gateway-report.ts';

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

/** The human summary of a report: a table per gateway, the skip reasons, every failure, where the evidence is. */
export function renderReport(report: ExecutionReport): string {
  const perGateway = new Map(
    report.manifest.map((g) => [
      g.gatewayArn,
      { name: g.gatewayName ?? '', created: 0, existing: 0, wouldCreate: 0, skipped: 0, failed: 0, restorable: 0 },
    ]),
  );
  const row = (gatewayArn: string) => perGateway.get(gatewayArn);
  for (const s of report.snapshots) {
    const r = row(s.gatewayArn);
    if (!r) continue;
    if (s.status === 'created') r.created += 1;
    else if (s.status === 'existing') r.existing += 1;
    else r.wouldCreate += 1;
  }
  for (const s of report.skipped) {
    const r = row(s.gatewayArn);
    if (r) r.skipped += 1;
  }
  for (const f of report.failures) {
    const r = row(f.gatewayArn);
    if (r) r.failed += 1;
  }
  for (const g of report.manifest) {
    const r = row(g.gatewayArn);
    if (r) r.restorable = g.volumes.filter((v) => v.snapshotId).length;
  }
  const { summary } = report;
  const sections = [
    textTable(
      ['gateway', 'name', report.dryRun ? 'would create' : 'created', 'existing', 'skipped', 'failed', 'restorable'],
      [...perGateway].map(([arn, r]) => [
        volumeIdOf(arn),
        r.name,
        report.dryRun ? r.wouldCreate : r.created,
        r.existing,
        r.skipped,
        r.failed,
        r.restorable,
      ]),
    ),
    `${summary.gateways} gateways, ${summary.recoveryPoints} recovery points: ` +
      (report.dryRun
        ? `${summary.wouldCreate} would be created`
        : `${summary.created} created, ${summary.existing} existing`) +
      `, ${summary.skipped} skipped, ${summary.failed} failed${report.dryRun ? ' (dry run)' : ''}; ` +
      `${summary.volumes - summary.withoutSnapshot} of ${summary.volumes} volumes in scope have a snapshot to restore from`,
  ];
  // Copies (issue 13): usable copies per destination.
  const copies = copiesTable(report.manifest);
  if (copies) {
    sections.push(
      textTable(
        ['copies to', 'usable', 'missing'],
        copies.destinations.map((d, i) => {
          const missing = copies.rows.filter((r) => r.cells[i]?.startsWith('MISSING')).length;
          return [d, copies.rows.length - missing, missing];
        }),
      ),
    );
  }
  const reasons = Object.entries(summary.skippedByReason);
  if (reasons.length) sections.push(textTable(['skip reason', 'volumes'], reasons));
  if (report.failures.length) {
    sections.push(
      textTable(
        ['failed', 'gateway', 'snapshot', 'error', 'cause'],
        report.failures.map((f) => [
          f.volumeArn ? volumeIdOf(f.volumeArn) : volumeIdOf(f.gatewayArn),
          // The gateway by ID and name, as in the table above.
          `${volumeIdOf(f.gatewayArn)} ${row(f.gatewayArn)?.name ?? ''}`.trim(),
          f.snapshotId ?? '',
          f.error,
          f.cause,
        ]),
      ),
    );
  }
  if (report.evidence) sections.push(`Evidence: ${report.evidence.prefix}`);
  return `${sections.join('\n\n')}\n`;
}
