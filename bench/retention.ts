import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RetentionPolicy } from '../src/input/schema.ts';
import { EC2_MUTATING_BUCKET } from '../src/local/emulator/cloud-rules.ts';
import { generateFleet } from '../src/local/fleet.ts';
import { EBS_SNAPSHOT_PRICES, planArchive } from '../src/retention/archive.ts';
import { planRetention, type RetentionCandidate, type RetentionDecision } from '../src/retention/policy.ts';
import { MAX_DELETIONS_PER_GATEWAY, type RetentionCounts } from '../src/retention/report.ts';
import type { AslDefinition } from '../src/statemachine/definition.ts';
import { runLocally } from './local-run.ts';

/** The scheduled runs' policy: `scheduleInput.retention` of serverless.yml's prod stage. */
export const SCHEDULED_RETENTION: RetentionPolicy = {
  keepLast: 4,
  keepDaily: 7,
  keepWeekly: 4,
  keepMonthly: 12,
  keepYearly: 3,
  timeZone: 'UTC',
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RUNS_PER_DAY = 4;
const VOLUME = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-00000001/volume/vol-00000001';

/** One row of the storage cost table: one volume with `usedGiB` of data, `changePerDay` of it rewritten a day. */
export interface RetentionCostRow {
  usedGiB: number;
  changePerDay: number;
  /** GiB stored and USD per volume-month. */
  without: { gib: number; usd: number };
  withPolicy: { gib: number; usd: number };
  /** The policy, and what the input's `archive` moves to the archive tier at this rate of change. */
  withArchive: { gib: number; archivedGib: number; usd: number };
  archivedCount: number;
}

export interface RetentionBench {
  policy: RetentionPolicy;
  /** Snapshots of one volume after a year of 6-hourly runs. */
  heldWithout: number;
  heldWithPolicy: number;
  /** Of the held ones, those the input's `archive` (30 days, a month's rewrites as `uniqueShare`) archives, by rate. */
  archived: Array<{ changePerDay: number; count: number }>;
  cost: RetentionCostRow[];
  /** The real workflow's first run over a year of history, on the local stack. */
  firstRun: {
    gateways: number;
    volumesPerGateway: number;
    snapshotsBefore: number;
    snapshotsAfter: number;
    wallMs: number;
    /** The waits between throttled rounds the runner compressed: what the run would take longer on AWS. */
    skippedMs: number;
    status: string;
    retention: RetentionCounts | undefined;
    deleteCalls: number;
  };
  /** At EC2's mutating bucket for the whole account, for a fleet of this many volumes. */
  ec2Rate: { volumes: number; firstPruneDeletions: number; firstPruneHours: number; steadyRunMinutes: number };
}

/** A year of 6-hourly runs on one volume: each run makes a snapshot, then retention (if any) prunes. */
export function simulateYear(policy: RetentionPolicy | undefined): {
  held: Array<RetentionCandidate & { time: number }>;
  decisions: RetentionDecision[];
  now: number;
} {
  const start = Date.UTC(2025, 11, 1);
  let held: Array<RetentionCandidate & { time: number }> = [];
  let decisions: RetentionDecision[] = [];
  let now = start;
  for (let run = 0; run < 365 * RUNS_PER_DAY; run += 1) {
    now = start + run * (DAY / RUNS_PER_DAY);
    const snapshotId = `snap-${String(run).padStart(6, '0')}`;
    held.push({
      snapshotId,
      volumeArn: VOLUME,
      recoveryPointTime: new Date(now).toISOString(),
      state: 'completed',
      legalHold: false,
      time: now,
    });
    if (!policy) continue;
    decisions = planRetention(held, policy, {
      now,
      inRunManifest: new Set([snapshotId]),
      inScope: () => true,
      existingVolumes: new Set([VOLUME]),
    });
    const kept = new Set(decisions.filter((d) => d.action === 'keep').map((d) => d.snapshotId));
    held = held.filter((s) => kept.has(s.snapshotId));
  }
  return { held, decisions, now };
}

/**
 * GiB an incremental chain stores: the newest snapshot holds the volume's data; each older one the blocks rewritten
 * before the next newer one was taken, each block rewritten at random (`1 − (1 − c)^days` of the data).
 */
function chainGib(times: readonly number[], usedGiB: number, changePerDay: number): number {
  const sorted = [...times].sort((a, b) => b - a);
  let gib = sorted.length ? usedGiB : 0;
  for (let i = 1; i < sorted.length; i += 1) {
    const days = ((sorted[i - 1] as number) - (sorted[i] as number)) / DAY;
    gib += usedGiB * (1 - (1 - changePerDay) ** days);
  }
  return gib;
}

function costRow(
  usedGiB: number,
  changePerDay: number,
  every: readonly number[],
  kept: readonly number[],
  archived: ReadonlySet<number>,
): RetentionCostRow {
  const { standardGbMonth, archiveGbMonth } = EBS_SNAPSHOT_PRICES;
  const without = chainGib(every, usedGiB, changePerDay);
  const withPolicy = chainGib(kept, usedGiB, changePerDay);
  const standard = chainGib(
    kept.filter((t) => !archived.has(t)),
    usedGiB,
    changePerDay,
  );
  // An archived snapshot is a full snapshot: it stores all the volume's data.
  const archivedGib = archived.size * usedGiB;
  return {
    usedGiB,
    changePerDay,
    without: { gib: without, usd: without * standardGbMonth },
    withPolicy: { gib: withPolicy, usd: withPolicy * standardGbMonth },
    withArchive: { gib: standard, archivedGib, usd: standard * standardGbMonth + archivedGib * archiveGbMonth },
    archivedCount: archived.size,
  };
}

/** The retention section: the simulated year, its storage cost, and one real first run. */
export async function measureRetention(options: {
  definition: AslDefinition;
  workDir: string;
  fleet: { gateways: number; volumesPerGateway: number };
  /** The fleet size the EC2-rate figures are for. */
  fleetVolumes: number;
  progress?: (line: string) => void;
}): Promise<RetentionBench> {
  const progress = options.progress ?? (() => {});
  const without = simulateYear(undefined);
  const withPolicy = simulateYear(SCHEDULED_RETENTION);
  const every = without.held.map((s) => s.time);
  const kept = withPolicy.held.map((s) => s.time);
  const timeOf = new Map(withPolicy.held.map((s) => [s.snapshotId, s.time]));
  // What the input's `archive` decides, with `uniqueShare` what a month rewrites at that rate.
  const archivedAt = (changePerDay: number) =>
    new Set(
      planArchive(
        withPolicy.decisions,
        new Set(),
        SCHEDULED_RETENTION,
        { afterDays: 30, uniqueShare: 1 - (1 - changePerDay) ** 30 },
        withPolicy.now,
      ).map((c) => timeOf.get(c.snapshotId) ?? 0),
    );
  const cost = [0.005, 0.02, 0.1].map((change) => costRow(100, change, every, kept, archivedAt(change)));
  progress(`7. retention: ${without.held.length} snapshots a year without a policy, ${kept.length} with it`);

  const fleet = generateFleet({ ...options.fleet, snapshotHistory: { days: 365, everyHours: 24 / RUNS_PER_DAY } });
  const fleetFile = join(options.workDir, 'fleet-retention.json');
  await writeFile(fleetFile, JSON.stringify(fleet));
  const volumes = options.fleet.gateways * options.fleet.volumesPerGateway;
  const snapshotsBefore = volumes * 365 * RUNS_PER_DAY;
  const run = await runLocally({
    definition: options.definition,
    fleetFile,
    // Under EC2's own buckets (the emulator's defaults): the wait between throttled rounds runs 50 ms here, but the
    // emulator lives on the runner's clock, so its buckets refill as for the 10 s AWS waits.
    input: { retention: SCHEDULED_RETENTION },
  });
  const retention = run.digest?.summary.retention;
  progress(
    `   first run: ${run.status}, ${retention?.deleted ?? 0} deleted in ${run.wallMs.toFixed(0)} ms ` +
      `(${(run.skippedMs / 1000).toFixed(0)} s of waits skipped)`,
  );

  const firstPruneDeletions = options.fleetVolumes * (without.held.length - kept.length);
  const perSecond = EC2_MUTATING_BUCKET.perSecond;
  return {
    policy: SCHEDULED_RETENTION,
    heldWithout: without.held.length,
    heldWithPolicy: kept.length,
    archived: cost.map((row) => ({ changePerDay: row.changePerDay, count: row.archivedCount })),
    cost,
    firstRun: {
      ...options.fleet,
      snapshotsBefore,
      snapshotsAfter: run.snapshotsMade - (retention?.deleted ?? 0),
      wallMs: run.wallMs,
      skippedMs: run.skippedMs,
      status: run.status,
      retention,
      deleteCalls: run.calls.DeleteSnapshot ?? 0,
    },
    ec2Rate: {
      volumes: options.fleetVolumes,
      firstPruneDeletions,
      firstPruneHours: firstPruneDeletions / perSecond / 3600,
      // In the steady state each run makes one snapshot per volume and its policy lets about one go.
      steadyRunMinutes: options.fleetVolumes / perSecond / 60,
    },
  };
}

const money = (usd: number) => `$${usd.toFixed(2)}`;
const gib = (value: number) => value.toFixed(0);

/** The section as Markdown. */
export function retentionSection(r: RetentionBench): string {
  const p = r.policy;
  const f = r.firstRun;
  const c = f.retention;
  return [
    '## 8. Retention',
    '',
    `Policy: the scheduled runs' (\`scheduleInput.retention\` of the prod stage): keepLast ${p.keepLast}, keepDaily ${p.keepDaily},`,
    `keepWeekly ${p.keepWeekly}, keepMonthly ${p.keepMonthly}, keepYearly ${p.keepYearly}, ${p.timeZone}. A year of runs every 6 hours`,
    'on one volume, simulated with the pure policy (`bench/retention.ts`): each run makes a snapshot, then retention prunes.',
    '',
    '| snapshots held after one year, per volume | |',
    '| --- | --- |',
    `| without retention | ${r.heldWithout.toLocaleString('en-US')} |`,
    `| with the default policy | ${r.heldWithPolicy} |`,
    ...r.archived.map(
      (a) =>
        `| of which \`archive\` (afterDays 30, uniqueShare = a month's rewrites) archives at ${(a.changePerDay * 100).toFixed(1)} % a day | ${a.count} |`,
    ),
    '',
    `Storage per volume-month after that year, at the published EBS snapshot prices (US East, https://aws.amazon.com/ebs/pricing/:`,
    `standard $${EBS_SNAPSHOT_PRICES.standardGbMonth}/GB-month, archive $${EBS_SNAPSHOT_PRICES.archiveGbMonth}/GB-month, archive retrieval`,
    `$${EBS_SNAPSHOT_PRICES.retrievalGb}/GB, archive billed 90 days at least). Model: 100 GiB of data on the volume, a share of it`,
    'rewritten each day at random blocks; an incremental snapshot stores the blocks rewritten before the next newer one,',
    'an archived one the whole 100 GiB (archiving turns it into a full snapshot).',
    '',
    '| data rewritten a day | without retention | with the policy | policy + `archive` (standard + archive GiB) |',
    '| --- | --- | --- | --- |',
    ...r.cost.map(
      (row) =>
        `| ${(row.changePerDay * 100).toFixed(1)} % | ${gib(row.without.gib)} GiB, ${money(row.without.usd)} | ` +
        `${gib(row.withPolicy.gib)} GiB, ${money(row.withPolicy.usd)} | ` +
        `${gib(row.withArchive.gib)} + ${gib(row.withArchive.archivedGib)} GiB, ${money(row.withArchive.usd)} |`,
    ),
    '',
    'Archiving pays only where a snapshot holds more than a quarter of the volume as blocks no other snapshot holds',
    '($0.0125 for the full copy against $0.05 per unique GB saved): `archive` leaves a slowly changing volume alone.',
    '',
    `The real workflow's first run over a year of 6-hourly history (${f.gateways} gateways × ${f.volumesPerGateway} volumes,`,
    `${f.snapshotsBefore.toLocaleString('en-US')} snapshots), on the local stack under EC2's request buckets: ${f.status},`,
    `${(f.wallMs / 1000).toFixed(1)} s, plus ${(f.skippedMs / 1000).toFixed(0)} s of waits between throttled rounds that the runner compresses`,
    `and the emulator's clock skips (AWS waits them), ${c?.deleted.toLocaleString('en-US') ?? 0} deleted (${f.deleteCalls.toLocaleString('en-US')} DeleteSnapshot calls),`,
    `${c?.deferred.toLocaleString('en-US') ?? 0} deferred to later runs (at most ${MAX_DELETIONS_PER_GATEWAY.toLocaleString('en-US')} per gateway per run),`,
    `${c?.kept ?? 0} kept.`,
    '',
    `At EC2's documented mutating request rate (bucket ${EC2_MUTATING_BUCKET.burst}, refill ${EC2_MUTATING_BUCKET.perSecond} a second, for the account), a`,
    `${r.ec2Rate.volumes.toLocaleString('en-US')}-volume fleet's first prune of a year of history is`,
    `${r.ec2Rate.firstPruneDeletions.toLocaleString('en-US')} deletions, ${r.ec2Rate.firstPruneHours.toFixed(0)} hours of deleting;`,
    `the cap spreads it over the schedule's runs. In the steady state a run deletes about one snapshot per volume:`,
    `${r.ec2Rate.steadyRunMinutes.toFixed(0)} minutes at that rate.`,
    '',
  ].join('\n');
}
