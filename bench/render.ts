import {
  CAUSE_BUDGET_BYTES,
  MAX_GATEWAYS_PER_EXECUTION,
  PAYLOAD_LIMIT_BYTES,
  REPORT_BUDGET_BYTES,
} from '../src/report/limits.ts';
import type { BenchResult, PayloadRow } from './bench.ts';
import { type Accounting, CAUSE_KINDS, FAILURE_ERROR, LONG_MESSAGE_CHARACTERS } from './payload.ts';
import { fleetLabel, volumesOf } from './scenarios.ts';

/** Targets of issue 6. */
export const TARGETS = {
  fanOutRatio: 1.3,
  bundleKiB: 350,
  loadRatio: 0.6,
} as const;

const ms = (value: number): string =>
  Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')} ms` : 'n/a';
const times = (value: number): string => `${value.toFixed(2)}×`;
const fixed = (value: number, digits = 2): string => value.toFixed(digits);
const bytes = (value: number): string => value.toLocaleString('en-US');
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
    'emulator on 127.0.0.1. Each figure is the median of the runs shown; every run starts a fresh emulator.',
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
      ],
    ),
    '',
    fanOutSection(result),
    overheadSection(result),
    baselineSection(result),
    costSection(result),
    payloadSection(result),
    coldStartSection(result),
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
      'per gateway, plus retries.',
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

  function payloadSection({ payload }: BenchResult): string {
    return [
      '## 5. Payload headroom',
      '',
      `The largest state input or output of the run (JSON bytes of every state's input and output in the event log),`,
      `against the ${bytes(PAYLOAD_LIMIT_BYTES)}-byte limit (the local engine does not enforce it; on AWS a bigger one fails`,
      'the execution with `States.DataLimitExceeded`). In the failing runs every CreateSnapshotFromVolumeRecoveryPoint fails',
      `(emulator fault rule, ${FAILURE_ERROR}) and the bench lengthens its message to ${bytes(LONG_MESSAGE_CHARACTERS)} characters in an SDK`,
      "middleware (the emulator's injected messages are short): either *one long cause* for every volume, or *a long cause",
      'per volume* that names it, as AWS messages often do, so that no two failures can be grouped.',
      '"Accounted" checks that the summary counts add up to the fleet and that every volume ARN is named in `failures` or',
      'in `gateways[].failures[].volumeIds`: in the report the summarising Task returns, and in the report inside the',
      "execution's failure cause (the execution fails with `SnapshotsFailed`; a cause holds at most 32,768 characters).",
      '',
      table(
        [
          'fleet',
          'scenario',
          'status',
          'largest payload (state)',
          'of limit',
          'report accounted',
          'failure cause accounted',
        ],
        payload.map((r) => [
          fleetLabel(r.fleet),
          r.scenario === 'all succeed' ? 'all succeed' : `all fail, ${r.scenario}`,
          r.refused ? `${r.status}: ${r.refused.error} at Plan, ${r.refused.snapshotsMade} snapshots made` : r.status,
          r.largest ? `${bytes(r.largest.bytes)} (${r.largest.state} ${r.largest.direction})` : 'n/a',
          r.largest ? `${((100 * r.largest.bytes) / PAYLOAD_LIMIT_BYTES).toFixed(0)} %` : 'n/a',
          r.refused ? '– (refused before any work)' : accounting(r.report, r.scenario !== 'all succeed'),
          r.cause ? accounting(r.cause, true) : '–',
        ]),
      ),
      '',
      ...CAUSE_KINDS.map((kind) => `- *${kind}*: ${largestFleet(payload.filter((r) => r.scenario === kind))}`),
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

function accounting(check: Accounting | undefined, expectNamed: boolean): string {
  if (!check) return 'no report';
  const counts = check.countsAddUp ? 'counts add up' : '**counts do not add up**';
  if (!expectNamed) return counts;
  const named = `${bytes(check.volumesNamed)} of ${bytes(check.volumes)} volumes named`;
  return `${counts}; ${check.volumesNamed === check.volumes ? named : `**${named}**`}`;
}

/** What the failing runs say about the largest fleet one execution handles. */
function largestFleet(failing: readonly PayloadRow[]): string {
  const named = (check: Accounting | undefined) => Boolean(check?.countsAddUp && check.volumesNamed === check.volumes);
  const held = failing.filter((r) => r.largest && r.largest.bytes < PAYLOAD_LIMIT_BYTES && named(r.report));
  const biggest = held.reduce<PayloadRow | undefined>(
    (best, r) => (!best || volumesOf(r.fleet) > volumesOf(best.fleet) ? r : best),
    undefined,
  );
  const lines = [
    biggest
      ? `the largest fleet verified in one execution, under the limit with every volume named in its report, is ${fleetLabel(biggest.fleet)} volumes.`
      : 'no fleet tried stayed under the limit with every volume named in its report.',
  ];
  const lost = failing.filter((r) => !r.refused && !named(r.report)).map((r) => fleetLabel(r.fleet));
  if (lost.length) lines.push(`Fleets whose report no longer names every volume: ${lost.join(', ')}.`);
  const refused = failing.filter((r) => r.refused);
  if (refused.length) {
    lines.push(
      `Refused at Plan, as more gateways than one execution takes (${MAX_GATEWAYS_PER_EXECUTION}): ` +
        refused
          .map((r) => `${fleetLabel(r.fleet)} (${r.refused?.error}, ${r.refused?.snapshotsMade} snapshots made)`)
          .join(', ') +
        '. Such a fleet is run as several executions, each with its own `gatewayArns`.',
    );
  }
  const sized = [...failing].reverse().find((r) => r.compactBytesPerGateway);
  if (sized?.compactBytesPerGateway) {
    const perGateway = sized.compactBytesPerGateway;
    const fit = (budget: number) => Math.floor(budget / perGateway);
    lines.push(
      `A gateway's compact result (its ${sized.fleet.volumesPerGateway} failed volume IDs kept) takes about ${perGateway.toFixed(0)} bytes at ${fleetLabel(sized.fleet)}:`,
      `the ${bytes(REPORT_BUDGET_BYTES)}-byte report budget holds about ${bytes(fit(REPORT_BUDGET_BYTES))} such gateways, and the`,
      `${bytes(CAUSE_BUDGET_BYTES)}-byte failure cause about ${bytes(fit(CAUSE_BUDGET_BYTES))} (estimates; beyond them the summary counts stay complete).`,
    );
  }
  return lines.join(' ');
}
