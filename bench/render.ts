import { DIGEST_BUDGET_BYTES } from '../src/report/execution-report.ts';
import { PAYLOAD_LIMIT_BYTES } from '../src/report/limits.ts';
import type { BenchResult, EvidenceRow } from './bench.ts';
import { FAILURE_ERROR } from './evidence.ts';
import type { LargestPayload } from './local-run.ts';
import { retentionSection } from './retention.ts';
import { EVIDENCE_KINDS, type S3Figures } from './s3-tally.ts';
import { fleetLabel, volumesOf } from './scenarios.ts';

/** Targets of issue 6, and issue 9's bound on the execution's output. */
export const TARGETS = {
  fanOutRatio: 1.3,
  bundleKiB: 350,
  loadRatio: 0.6,
  resultBytes: 8 * 1024,
} as const;

const ms = (value: number): string =>
  Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')} ms` : 'n/a';
const times = (value: number): string => `${value.toFixed(2)}×`;
const fixed = (value: number, digits = 2): string => value.toFixed(digits);
const bytes = (value: number): string => value.toLocaleString('en-US');
const percent = (share: number): string => (Number.isFinite(share) ? `${(100 * share).toFixed(0)} %` : 'n/a');
const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The whole result as Markdown: what `bench/RESULTS.md` holds and what the bench prints. */
export function renderResults(result: BenchResult): string {
  const { machine, concurrency, latency } = result;
  return [
    `# Benchmark results${result.smoke ? ' (smoke run: tiny fleets, single runs, not figures to quote)' : ''}`,
    '',
    'Written by `npm run bench` (`bench/run.ts`). Everything runs in one Node process on the local stack: the real ASL on',
    'aws-local-stepfunctions, the real middy handlers in-process, the AWS SDK over HTTP to the Storage Gateway + EC2',
    'emulator and to the embedded S3 server (s3rver) on 127.0.0.1. Each figure is the median of the runs shown; every',
    'run starts a fresh emulator and a fresh S3 server over a temporary directory.',
    '',
    table(
      ['machine', ''],
      [
        ['CPU', machine.cpu],
        ['cores', String(machine.cores)],
        ['memory', `${machine.memoryGiB} GiB`],
        ['Node', machine.node],
        ['AWS CLI', machine.awsCli ?? 'not installed'],
        ['date', machine.date],
        ['bench duration', `${(result.durationMs / 1000).toFixed(0)} s`],
        [
          'load average (1 min), start → end',
          `${fixed(machine.loadAverage.start)} → ${fixed(machine.loadAverage.end)} (other work on the cores slows every figure)`,
        ],
      ],
    ),
    '',
    fanOutSection(result),
    overheadSection(result),
    baselineSection(result),
    costSection(result),
    evidenceSection(result),
    coldStartSection(result),
    retentionSection(result.retention),
  ].join('\n');

  function fanOutSection({ fanOut, fixedExecutionMs }: BenchResult): string {
    return [
      '## 1. Fan-out efficiency',
      '',
      `Emulated latency: ListVolumeRecoveryPoints ${latency.listMs} ms, CreateSnapshotFromVolumeRecoveryPoint ${latency.createMs} ms`,
      `(emulator fault rules with \`latencyMs\`; every other call, e.g. EC2 DescribeSnapshots, answers at once).`,
      `Default concurrency from the input schema: ${concurrency.gateways} gateways, ${concurrency.snapshots} snapshots per gateway.`,
      '',
      'The bound is the time the emulated calls alone need at that concurrency: gateways go in waves of',
      `${concurrency.gateways}; within a gateway, one list, then the creates in waves of ${concurrency.snapshots}:`,
      '',
      '    bound = ceil(gateways / maxConcurrency.gateways) × (list + ceil(volumesPerGateway / maxConcurrency.snapshots) × create)',
      '',
      'Everything above the bound is our own time: the engine, the handlers, the SDK, the emulator and the calls without latency.',
      `Part of it is paid once per execution whatever the fleet: ${ms(fixedExecutionMs)} here (section 2). The rest grows with`,
      'the volumes: locally every Lambda runs in this one Node process, so the CPU time each volume costs (section 2) is',
      'serialised; when a wave of creates returns together, their handling queues on one thread before the next wave starts.',
      "On AWS each invocation has a Lambda of its own, and Step Functions' own latency per transition takes that place.",
      '',
      table(
        [
          'fleet (gateways×volumes)',
          'runs',
          'wall time',
          'bound',
          'wall / bound',
          `target ≤ ${TARGETS.fanOutRatio}×`,
          'wall − fixed cost, / bound',
        ],
        fanOut.map((r) => [
          fleetLabel(r.fleet),
          String(r.runs),
          ms(r.wallMs),
          ms(r.boundMs),
          times(r.ratio),
          verdict(r.ratio <= TARGETS.fanOutRatio),
          times((r.wallMs - fixedExecutionMs) / r.boundMs),
        ]),
      ),
      '',
    ].join('\n');
  }

  function overheadSection({ overhead, fixedExecutionMs }: BenchResult): string {
    return [
      '## 2. Engine overhead',
      '',
      'The same fleets with no emulated latency: all the time is ours (engine, handlers, SDK, HTTP, emulator, on the same',
      `cores). An execution over no gateways at all takes ${ms(fixedExecutionMs)}: the fixed cost of an execution (engine set-up,`,
      'Plan, an empty Map, Summarise); the marginal figure leaves it out.',
      '',
      table(
        ['fleet', 'runs', 'wall time', 'ms per volume', 'marginal ms per volume'],
        overhead.map((r) => [
          fleetLabel(r.fleet),
          String(r.runs),
          ms(r.wallMs),
          fixed(r.msPerVolume),
          fixed(r.marginalMsPerVolume),
        ]),
      ),
      '',
    ].join('\n');
  }

  function baselineSection({ baselines }: BenchResult): string {
    return [
      '## 3. Against what users do today',
      '',
      'Same emulator, same latencies, same run. The sequential script makes the same SDK calls one after another',
      '(ListVolumeRecoveryPoints per gateway, then CreateSnapshotFromVolumeRecoveryPoint per volume); where marked',
      "*modelled* it was not run (it would take minutes) and its time is the sum of its calls' latencies, which is",
      'what it measures within a few percent on the fleets where it runs. The AWS CLI loop is the bash loop a person',
      'writes (`list-volume-recovery-points`, then `create-snapshot-from-volume-recovery-point` per volume, `--endpoint-url`).',
      '',
      table(
        ['fleet', 'workflow', 'sequential SDK script', 'speed-up', 'AWS CLI loop', 'speed-up'],
        baselines.map((r) => [
          fleetLabel(r.fleet),
          ms(r.workflowMs),
          `${ms(r.sequentialMs)}${r.sequentialModelled ? ' (modelled)' : ''}`,
          times(r.sequentialMs / r.workflowMs),
          r.cliMs === undefined ? '–' : ms(r.cliMs),
          r.cliMs === undefined ? '–' : times(r.cliMs / r.workflowMs),
        ]),
      ),
      '',
    ].join('\n');
  }

  function costSection({ cost }: BenchResult): string {
    const operations = [...new Set(cost.flatMap((r) => Object.keys(r.callsPerVolume)))].sort();
    return [
      '## 4. Cost per run',
      '',
      "From the engine's event log of a run without latency: `StateEntered` events are state transitions (Map states,",
      "Choice and Pass states included; the Distributed Map's child executions bill theirs too), Task states entered or",
      'retried are Lambda invocations. Price: Standard workflows, 0.025 USD per 1,000 transitions (Lambda and the AWS',
      'calls are billed on top). Calls: what the emulator answered, per volume; target 1 create per volume and 1 list',
      'per gateway, plus retries. The S3 calls of the evidence are in section 5.',
      '',
      table(
        [
          'fleet',
          'transitions / volume',
          'invocations / volume',
          'USD per 1,000 volumes',
          'creates / volume',
          'lists / gateway',
        ],
        cost.map((r) => [
          fleetLabel(r.fleet),
          fixed(r.transitionsPerVolume),
          fixed(r.invocationsPerVolume),
          `${fixed(r.usdPer1000Volumes, 4)}`,
          fixed(r.createsPerVolume),
          fixed(r.listsPerGateway),
        ]),
      ),
      '',
      'Every emulator call, per volume:',
      '',
      table(
        ['fleet', ...operations],
        cost.map((r) => [fleetLabel(r.fleet), ...operations.map((op) => fixed(r.callsPerVolume[op] ?? 0, 3))]),
      ),
      '',
    ].join('\n');
  }

  function evidenceSection({ evidence }: BenchResult): string {
    const succeeded = evidence.filter((r) => r.scenario === 'all succeed');
    const operations = [...new Set(evidence.flatMap((r) => Object.keys(r.s3.calls)))].sort();
    const kinds = EVIDENCE_KINDS.filter((kind) => evidence.some((r) => r.s3.written[kind]));
    const scenario = (r: EvidenceRow) => `${fleetLabel(r.fleet)}, ${r.scenario}`;
    return [
      '## 5. Evidence in S3',
      '',
      "Each gateway's child execution writes its whole account to `gateways/<id>.json`; `Summarise` reads them all back",
      'and writes `report.json`, `manifest.json` and `report.csv`; the state machine carries only the digest. Locally the',
      'objects go to the embedded S3 server (s3rver, in this process, over a temporary directory) through the real S3',
      'client; an SDK middleware counts, sizes and times every call. No emulated latency. In the failing scenario every',
      `CreateSnapshotFromVolumeRecoveryPoint fails (emulator fault rule, ${FAILURE_ERROR}).`,
      '',
      'Bytes written (PutObject bodies), by object:',
      '',
      table(
        ['fleet, scenario', ...kinds, 'total', 'bytes per volume', 'read back (GetObject)'],
        evidence.map((r) => {
          const total = writtenBytes(r.s3);
          return [
            scenario(r),
            ...kinds.map((kind) => written(r.s3, kind)),
            bytes(total),
            bytes(Math.round(total / volumesOf(r.fleet))),
            bytes(r.s3.bytesRead),
          ];
        }),
      ),
      '',
      'S3 calls per execution, by operation (failed calls in brackets, e.g. `NoSuchKey`):',
      '',
      table(
        ['fleet, scenario', ...operations, 'total', 'per gateway'],
        evidence.map((r) => {
          const total = Object.values(r.s3.calls).reduce((sum, n) => sum + n, 0);
          return [
            scenario(r),
            ...operations.map((op) => {
              const failed = r.s3.failedCalls[op];
              return `${bytes(r.s3.calls[op] ?? 0)}${failed ? ` (${bytes(failed)})` : ''}`;
            }),
            bytes(total),
            fixed(total / r.fleet.gateways),
          ];
        }),
      ),
      '',
      'Time added. *In S3 calls*: the wall time during which at least one S3 call was in flight (concurrent calls count',
      "once), from the command being sent to its response; its share is of the run's wall time. Locally the S3 server",
      'shares this one thread with the engine and every handler, so other work overlaps those intervals: it is an upper',
      '*bound*. *S3 in memory*: the same runs with PutObject and GetObject answered from a map in an SDK middleware before',
      'any request is built (the evidence is still built and serialised); the difference is the time the S3 calls add.',
      '',
      table(
        [
          'fleet',
          'runs',
          'wall time',
          'in S3 calls',
          'share of run',
          "calls' durations summed",
          'wall time, S3 in memory',
          'time added by S3',
          'share of run',
        ],
        succeeded.map((r) => {
          const wallMs = r.wallMs ?? Number.NaN;
          const added = wallMs - (r.inMemoryWallMs ?? Number.NaN);
          return [
            fleetLabel(r.fleet),
            String(r.runs),
            ms(wallMs),
            ms(r.s3.busyMs),
            percent(r.s3.busyMs / wallMs),
            ms(r.s3.callMs),
            ms(r.inMemoryWallMs ?? Number.NaN),
            ms(added),
            percent(added / wallMs),
          ];
        }),
      ),
      '',
      `What the state machine carries, from a run that JSON-sizes every state's input and output (the local runner, like`,
      `AWS, fails an execution with \`States.DataLimitExceeded\` past ${bytes(PAYLOAD_LIMIT_BYTES)} bytes).`,
      "*Result*: the execution's output (the digest) or, when it fails, its `SnapshotsFailed` cause, against",
      `${bytes(TARGETS.resultBytes)} bytes (the digest budget is ${bytes(DIGEST_BUDGET_BYTES)}). *Gateway ARNs*: the \`gatewayArns\` list Plan returns and`,
      'the parent states carry, the one part that grows with the fleet; the next column is the largest payload without it.',
      '*report.json*: every volume of the fleet named in `snapshots`, `skipped` or `failures`, failures counted.',
      '',
      table(
        [
          'fleet, scenario',
          'status',
          'result',
          `≤ ${bytes(TARGETS.resultBytes)}`,
          'failures in the digest',
          'largest state payload',
          'of limit',
          'gateway ARNs',
          'largest without them',
          'report.json',
        ],
        evidence.map((r) => [
          scenario(r),
          r.status,
          bytes(r.resultBytes),
          verdict(r.resultBytes <= TARGETS.resultBytes),
          `${bytes(r.digestFailures)} named, ${bytes(r.moreFailures)} more`,
          payload(r.largest),
          r.largest ? percent(r.largest.bytes / PAYLOAD_LIMIT_BYTES) : 'n/a',
          r.gatewayArnsBytes === undefined ? 'n/a' : bytes(r.gatewayArnsBytes),
          payload(r.largestBeyondGatewayArns),
          accounted(r),
        ]),
      ),
      '',
    ].join('\n');
  }

  function coldStartSection({ coldStart, coldStartRuns }: BenchResult): string {
    return [
      '## 6. Cold start',
      '',
      "Each `functions/<name>/handler.ts` bundled with esbuild's JS API and the settings of `custom.esbuild` in",
      'serverless.yml (bundle, minify, keepNames, ESM, platform node, target node24, AWS SDK bundled, `.mjs`). Load time:',
      'a fresh `node --input-type=module -e` process timing `await import(file)` alone, median of',
      `${coldStartRuns} runs per side, alternated; unbundled = the .ts handler through Node's type stripping, resolving`,
      'from node_modules. *zipped* is the bundle deflated as the deployment zip stores it (what Lambda downloads);',
      'the target is read against the bundle itself.',
      '',
      table(
        [
          'function',
          'bundle',
          `≤ ${TARGETS.bundleKiB} KiB`,
          'zipped',
          'largest parts',
          'load bundled',
          'load unbundled',
          'bundled / unbundled',
          `≤ ${TARGETS.loadRatio}×`,
        ],
        coldStart.map((r) => {
          const kib = r.bundleBytes / 1024;
          const ratio = r.bundledLoadMs / r.unbundledLoadMs;
          return [
            r.name,
            `${kib.toFixed(0)} KiB`,
            verdict(kib <= TARGETS.bundleKiB),
            `${(r.zippedBytes / 1024).toFixed(0)} KiB`,
            r.largestParts.map((p) => `${p.part} ${(p.bytes / 1024).toFixed(0)} KiB`).join(', '),
            `${r.bundledLoadMs.toFixed(1)} ms`,
            `${r.unbundledLoadMs.toFixed(1)} ms`,
            times(ratio),
            verdict(ratio <= TARGETS.loadRatio),
          ];
        }),
      ),
      '',
    ].join('\n');
  }
}

function payload(largest: LargestPayload | undefined): string {
  return largest ? `${bytes(largest.bytes)} (${largest.state} ${largest.direction})` : 'n/a';
}

function writtenBytes(s3: S3Figures): number {
  return Object.values(s3.written).reduce((sum, w) => sum + w.bytes, 0);
}

function written(s3: S3Figures, kind: keyof S3Figures['written']): string {
  const tally = s3.written[kind];
  if (!tally) return '–';
  return tally.objects === 1 ? bytes(tally.bytes) : `${bytes(tally.bytes)} in ${bytes(tally.objects)}`;
}

function accounted(r: EvidenceRow): string {
  const { report } = r;
  const counts = report.countsAddUp ? 'counts add up' : '**counts do not add up**';
  const named = `${bytes(report.volumesNamed)} of ${bytes(report.volumes)} volumes named`;
  const manifest = `${bytes(report.manifestVolumes)} in the manifest`;
  const lines = [
    counts,
    report.volumesNamed === report.volumes ? named : `**${named}**`,
    report.manifestVolumes === report.volumes ? manifest : `**${manifest}**`,
  ];
  if (r.scenario !== 'all succeed') {
    const failed = `${bytes(report.failures)} failures, ${bytes(report.failedVolumesNamed)} volumes`;
    lines.push(report.failedVolumesNamed === report.volumes ? failed : `**${failed}**`);
  }
  return lines.join('; ');
}
