import * as z from 'zod';
import { COPY_TAG } from '../copies/tags.ts';
import { MAX_GATEWAYS_PER_EXECUTION } from '../report/limits.ts';
import { isTimeZone } from '../retention/calendar.ts';
import { DESCRIPTION_PLACEHOLDERS, maxRenderedDescriptionLength } from '../snapshot/description.ts';
import { MAX_USER_TAGS, RESERVED_TAG_PREFIX } from '../snapshot/tags.ts';
import { completionChecks, MAX_COMPLETION_CHECKS } from './limits.ts';

/**
 * `arn:<partition>:storagegateway:<region>:<account>:gateway/<id>`; the partitions are those the
 * Storage Gateway API model allows in a `VolumeARN` (botocore `storagegateway/2013-06-30`).
 */
export const GATEWAY_ARN_PATTERN =
  /^arn:aws(-cn|-us-gov|-iso[a-z0-9-]*|-eusc)?:storagegateway:[a-z0-9-]+:\d{12}:gateway\/[A-Za-z0-9-]+$/;
/** A gateway ARN followed by `/volume/<id>`. */
export const VOLUME_ARN_PATTERN =
  /^arn:aws(-cn|-us-gov|-iso[a-z0-9-]*|-eusc)?:storagegateway:[a-z0-9-]+:\d{12}:gateway\/[A-Za-z0-9-]+\/volume\/[A-Za-z0-9-]+$/;
/** `GatewayARN` and `VolumeARN` are 50 to 500 characters in the Storage Gateway API model. */
export const ARN_LENGTH = { min: 50, max: 500 } as const;
/**
 * The most ARNs `volumeArns` and `excludeVolumeArns` each take: 300 volume ARNs of about 130 bytes fit in
 * the 58 KB that 2,000 gateway ARNs leave of a state's 256 KB (see `MAX_GATEWAYS_PER_EXECUTION`).
 */
export const MAX_VOLUME_ARNS = 150;

/** Inline Map states run at most 40 iterations at once. */
const MAX_MAP_CONCURRENCY = 40;
// The tag characters Storage Gateway accepts in keys and values.
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export const DEFAULT_SNAPSHOT_DESCRIPTION =
  'Recovery point {recoveryPointTime} of {volumeId} on {gatewayId} by {executionName}';

const arnLength = z
  .string()
  .min(ARN_LENGTH.min, { error: `must be at least ${ARN_LENGTH.min} characters, as every ARN Storage Gateway takes` })
  .max(ARN_LENGTH.max, { error: `must be at most ${ARN_LENGTH.max} characters, as every ARN Storage Gateway takes` });
const gatewayArn = arnLength.regex(GATEWAY_ARN_PATTERN, {
  error: 'must be a gateway ARN: arn:<partition>:storagegateway:<region>:<account>:gateway/<id>',
});
const volumeArn = arnLength.regex(VOLUME_ARN_PATTERN, {
  error: 'must be a volume ARN: arn:<partition>:storagegateway:<region>:<account>:gateway/<id>/volume/<id>',
});
const uniqueList = <T extends z.ZodType<string>>(item: T) =>
  z.array(item).refine((list) => new Set(list).size === list.length, { error: 'must not repeat an ARN' });

export const PolicySchema = z
  .strictObject({
    minAgeMinutes: z.number().min(0).default(0).describe('Skip recovery points younger than this (reason `too-new`).'),
    maxAgeHours: z
      .number()
      .positive()
      .optional()
      .describe('Skip recovery points older than this (reason `too-old`). Default: no limit.'),
    minUsageBytes: z
      .int()
      .min(0)
      .default(1)
      .describe('Skip volumes holding fewer bytes than this (reason `below-min-usage`).'),
    minUsagePercent: z
      .number()
      .min(0)
      .max(100)
      .default(0)
      .describe('Skip volumes whose usage / size is below this percentage (reason `below-min-usage`).'),
    unknownUsage: z
      .enum(['snapshot', 'skip'])
      .default('snapshot')
      .describe(
        'What to do with volumes that report no `VolumeUsageInBytes` (created before 13 May 2015); `skip` gives reason `unknown-usage`.',
      ),
    skipIfAlreadySnapshotted: z
      .boolean()
      .default(true)
      .describe('Skip recovery points that already have a snapshot made by this tool (reason `already-snapshotted`).'),
  })
  .prefault({});

// Retention (issue 12): restic's `forget` field names, so people recognise them.
const keepCount = (what: string) =>
  z.int().min(1).optional().describe(`Keep the newest snapshot of each of the last N ${what} that have one.`);

export const RetentionSchema = z
  .strictObject({
    keepLast: z.int().min(1).optional().describe('Keep the N newest completed snapshots of each volume.'),
    keepHourly: keepCount('hours'),
    keepDaily: keepCount('days'),
    keepWeekly: keepCount('ISO weeks'),
    keepMonthly: keepCount('months'),
    keepYearly: keepCount('years'),
    maxAgeDays: z
      .number()
      .positive()
      .optional()
      .describe('No rule keeps a snapshot older than this; alone, every younger one is kept.'),
    timeZone: z
      .string()
      .refine(isTimeZone, { error: 'must be an IANA time zone, such as Europe/Berlin' })
      .default('UTC')
      .describe('IANA time zone of the calendar tiers (hours, days, weeks, months, years).'),
  })
  .refine((r) => Object.keys(r).some((key) => key !== 'timeZone'), {
    error: 'needs at least one rule (keepLast, keepHourly, …, maxAgeDays); leave retention out to delete nothing',
  });

/**
 * EBS snapshot lock of the snapshots a run makes, with `LockSnapshot`'s rules (EC2 API Reference): a mode, exactly
 * one of a duration (1 to 36,500 days) or an expiry date, and a cool-off period (1 to 72 hours) only in compliance
 * mode, during which the lock can still be removed.
 */
export const LockSchema = z
  .strictObject({
    mode: z
      .enum(['governance', 'compliance'])
      .describe('governance: users with permission can unlock; compliance: nobody can, once the cool-off is over.'),
    durationDays: z.int().min(1).max(36_500).optional().describe('Lock for this many days (1 to 36,500).'),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('Lock until this time (ISO 8601).'),
    coolOffHours: z
      .int()
      .min(1)
      .max(72)
      .optional()
      .describe('Compliance mode only: hours during which the lock can still be removed (1 to 72).'),
  })
  .refine((l) => (l.durationDays === undefined) !== (l.expiresAt === undefined), {
    error: 'needs exactly one of durationDays and expiresAt',
  })
  .refine((l) => l.coolOffHours === undefined || l.mode === 'compliance', {
    error: 'a cool-off period is only for compliance mode',
    path: ['coolOffHours'],
  });

/** Moving snapshots kept only by the monthly and yearly tiers to the EBS archive tier, where it pays. */
export const ArchiveSchema = z.strictObject({
  afterDays: z.int().min(1).describe('Archive a snapshot once it is this many days old.'),
  uniqueShare: z
    .number()
    .positive()
    .max(1)
    .describe(
      "Estimated share of a volume's data that a monthly snapshot alone holds (blocks rewritten within a month): what archiving frees in the standard tier. Archiving pays above about 0.25.",
    ),
});

// Copies (issue 13): snapshot copies in other Regions and accounts, beyond the blast radius of the source's.
/** The most copy destinations one execution takes: Data Lifecycle Manager's three, and their polls fit the history. */
export const MAX_COPY_DESTINATIONS = 3;
/** The `sgw-snap:copy-*` tags a copy carries besides the user's. */
const COPY_TAG_COUNT = Object.keys(COPY_TAG).length;
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

export const CopyDestinationSchema = z.strictObject({
  region: z
    .string()
    .regex(REGION_PATTERN, { error: 'must be a Region such as eu-west-1' })
    .describe('Region the copies are made in (CopySnapshot is called there).'),
  accountId: z
    .string()
    .regex(/^\d{12}$/, { error: 'must be 12 digits' })
    .optional()
    .describe("Account that owns the copies, through its copy role. Default: the execution's own account."),
  kmsKeyId: z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .describe(
      "KMS key (ID, ARN or alias) the copies are encrypted with in the destination. Default: EBS's default key.",
    ),
  retention: RetentionSchema.optional().describe(
    'Which copies to keep per volume in this destination (the `retention` rules). Default: none is deleted.',
  ),
});

export const ExecutionInputSchema = z
  .strictObject({
    gatewayArns: uniqueList(gatewayArn)
      .min(1, { error: 'must name at least one gateway; leave it out to snapshot every cached gateway' })
      .max(MAX_GATEWAYS_PER_EXECUTION, {
        error: `one execution takes at most ${MAX_GATEWAYS_PER_EXECUTION} gateways; start several executions`,
      })
      .optional()
      .describe(
        `Gateways to snapshot, at most ${MAX_GATEWAYS_PER_EXECUTION}. Default: every \`CACHED\` gateway of the account and Region.`,
      ),
    volumeArns: uniqueList(volumeArn)
      .min(1, { error: 'must name at least one volume; leave it out to snapshot every volume' })
      .max(MAX_VOLUME_ARNS, { error: `at most ${MAX_VOLUME_ARNS} volumes; name gateways with gatewayArns instead` })
      .optional()
      .describe(
        `Only these volumes, at most ${MAX_VOLUME_ARNS}, each on a gateway in scope; others are skipped with reason \`excluded\`. Default: all volumes.`,
      ),
    excludeVolumeArns: uniqueList(volumeArn)
      .max(MAX_VOLUME_ARNS, { error: `at most ${MAX_VOLUME_ARNS} volumes` })
      .default([])
      .describe(`Volumes never to snapshot, at most ${MAX_VOLUME_ARNS} (reason \`excluded\`).`),
    policy: PolicySchema.describe('Age and usage policy; see the `policy.*` rows.'),
    dryRun: z.boolean().default(false).describe('Plan and report, create nothing.'),
    snapshotDescription: z
      .string()
      .min(1)
      .superRefine(checkDescriptionTemplate)
      .default(DEFAULT_SNAPSHOT_DESCRIPTION)
      .describe(`Description template; placeholders ${DESCRIPTION_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}.`),
    tags: z
      .record(z.string(), z.string())
      .superRefine(checkTags)
      .default({})
      .describe(`Extra tags for every snapshot (at most ${MAX_USER_TAGS}).`),
    maxConcurrency: z
      .strictObject({
        gateways: z.int().min(1).max(MAX_MAP_CONCURRENCY).default(4).describe('Gateways listed at once.'),
        snapshots: z
          .int()
          .min(1)
          .max(MAX_MAP_CONCURRENCY)
          .default(10)
          .describe('Snapshots created at once per gateway.'),
      })
      .prefault({})
      .describe('Fan-out limits of the two Map states.'),
    waitForCompletion: z
      .boolean()
      .default(false)
      .describe('Poll the snapshots until each is `completed` or `error`; an `error` snapshot counts as failed.'),
    completionCheckIntervalSeconds: z
      .int()
      .min(1)
      .max(3600)
      .default(60)
      .describe('Seconds between two polls of the snapshots.'),
    completionTimeoutMinutes: z
      .number()
      .positive()
      .max(10_080)
      .default(360)
      .describe(
        `Give up waiting after this long; snapshots still pending are reported as failed. With \`waitForCompletion\`, at most ${MAX_COMPLETION_CHECKS - 1} × \`completionCheckIntervalSeconds\`, so the polls fit the execution's history.`,
      ),
    // Retention (issue 12)
    retention: RetentionSchema.optional().describe(
      'Which of our snapshots to keep per volume after the run (see Retention). Default: none is deleted.',
    ),
    archive: ArchiveSchema.optional().describe(
      'Move snapshots kept only by the monthly or yearly tier to the archive tier where the estimate says it pays; needs retention.',
    ),
    lock: LockSchema.optional().describe(
      'Lock the snapshots this run creates (EBS snapshot lock); retention never deletes a locked snapshot.',
    ),
    // Copies (issue 13)
    copies: z
      .array(CopyDestinationSchema)
      .max(MAX_COPY_DESTINATIONS, { error: `at most ${MAX_COPY_DESTINATIONS} destinations` })
      .refine((list) => new Set(list.map((d) => `${d.region}/${d.accountId ?? ''}`)).size === list.length, {
        error: 'must not name the same Region and account twice',
      })
      .default([])
      .describe(
        `Copy every volume's snapshot to these destinations, at most ${MAX_COPY_DESTINATIONS} (see Copies). Default: no copies.`,
      ),
    copyCheckIntervalSeconds: z
      .int()
      .min(1)
      .max(3600)
      .default(60)
      .describe('Seconds between two rounds of copies (start what the limit allows, check what is in flight).'),
    copyTimeoutMinutes: z
      .number()
      .positive()
      .max(10_080)
      .default(360)
      .describe(
        'Copies not completed this long after the first round are reported as failed. Its rounds and the completion wait polls share the history: together at most ' +
          `${MAX_COMPLETION_CHECKS}.`,
      ),
  })
  .superRefine(checkCompletionWait)
  // Copies (issue 13): a copy holds 50 tags, ours included; its rounds must fit the execution's history.
  .superRefine(checkCopies)
  // Archive (issue 12): only what the retention tiers keep is archived.
  .refine((input) => input.archive === undefined || input.retention !== undefined, {
    error: 'archive needs a retention policy: it archives what the monthly and yearly tiers keep',
    path: ['archive'],
  })
  .describe('Execution input of the state machine.');

/** The execution input as a caller writes it. */
export type ExecutionInput = z.input<typeof ExecutionInputSchema>;
/** The execution input with every default applied. */
export type ExecutionOptions = z.output<typeof ExecutionInputSchema>;
export type Policy = ExecutionOptions['policy'];
/** The retention policy with its defaults applied. */
export type RetentionPolicy = z.output<typeof RetentionSchema>;
/** Which kept snapshots move to the archive tier. */
export type ArchiveOptions = z.output<typeof ArchiveSchema>;
/** How the snapshots a run makes are locked. */
export type SnapshotLockOptions = z.output<typeof LockSchema>;
/** Copies (issue 13): one destination of the copies, with its defaults applied. */
export type CopyDestination = z.output<typeof CopyDestinationSchema>;

/** The completion wait writes about 9 history events per poll: its polls are bounded (see `MAX_COMPLETION_CHECKS`). */
function checkCompletionWait(
  input: { waitForCompletion: boolean; completionTimeoutMinutes: number; completionCheckIntervalSeconds: number },
  ctx: z.RefinementCtx,
): void {
  if (!input.waitForCompletion) return;
  const interval = input.completionCheckIntervalSeconds;
  const checks = completionChecks(input.completionTimeoutMinutes, interval);
  if (checks <= MAX_COMPLETION_CHECKS) return;
  const longest = ((MAX_COMPLETION_CHECKS - 1) * interval) / 60;
  ctx.addIssue({
    code: 'custom',
    path: ['completionTimeoutMinutes'],
    message:
      `would poll ${checks} times, one every ${interval} s; an execution's history holds ${MAX_COMPLETION_CHECKS}: ` +
      `wait at most ${longest} minutes, or poll less often (completionCheckIntervalSeconds)`,
  });
}

/**
 * Copies (issue 13): the tags of a copy fit in 50, and its rounds in the history. A round (`CopyRound` →
 * `CopiesDone` → `WaitBeforeCopyRound`) writes 9 history events, like a poll of the completion wait, and every
 * destination's rounds are in the execution's history: with the polls, at most `MAX_COMPLETION_CHECKS`.
 */
function checkCopies(
  input: {
    copies: readonly unknown[];
    tags: Record<string, string>;
    copyTimeoutMinutes: number;
    copyCheckIntervalSeconds: number;
    waitForCompletion: boolean;
    completionTimeoutMinutes: number;
    completionCheckIntervalSeconds: number;
  },
  ctx: z.RefinementCtx,
): void {
  if (!input.copies.length) return;
  const maxTags = 50 - COPY_TAG_COUNT;
  if (Object.keys(input.tags).length > maxTags) {
    ctx.addIssue({
      code: 'custom',
      path: ['tags'],
      message: `at most ${maxTags} tags with copies: a copy holds 50, ${COPY_TAG_COUNT} of them ours`,
    });
  }
  const rounds = completionChecks(input.copyTimeoutMinutes, input.copyCheckIntervalSeconds) * input.copies.length;
  const polls = input.waitForCompletion
    ? completionChecks(input.completionTimeoutMinutes, input.completionCheckIntervalSeconds)
    : 0;
  if (rounds + polls > MAX_COMPLETION_CHECKS) {
    ctx.addIssue({
      code: 'custom',
      path: ['copyTimeoutMinutes'],
      message:
        `would make up to ${rounds} rounds of copies (${input.copies.length} destinations, one every ` +
        `${input.copyCheckIntervalSeconds} s) besides ${polls} polls; an execution's history holds ` +
        `${MAX_COMPLETION_CHECKS}: wait less, or check less often (copyCheckIntervalSeconds)`,
    });
  }
}

function checkDescriptionTemplate(template: string, ctx: z.RefinementCtx): void {
  for (const [, name] of template.matchAll(/\{([^}]*)\}/g)) {
    if (!(DESCRIPTION_PLACEHOLDERS as readonly string[]).includes(name ?? '')) {
      ctx.addIssue({ code: 'custom', message: `unknown placeholder {${name}}` });
      return;
    }
  }
  const longest = maxRenderedDescriptionLength(template);
  if (longest > 255) {
    ctx.addIssue({ code: 'custom', message: `can render to ${longest} characters; snapshot descriptions hold 255` });
  }
}

function checkTags(tags: Record<string, string>, ctx: z.RefinementCtx): void {
  const entries = Object.entries(tags);
  if (entries.length > MAX_USER_TAGS) {
    ctx.addIssue({ code: 'custom', message: `at most ${MAX_USER_TAGS} tags (a snapshot holds 50, ours use the rest)` });
  }
  for (const [key, value] of entries) {
    const problem =
      key.length < 1 || key.length > 128
        ? 'key must be 1 to 128 characters'
        : /^aws:/i.test(key)
          ? 'keys starting with aws: are reserved by AWS'
          : key.startsWith(RESERVED_TAG_PREFIX)
            ? `keys starting with ${RESERVED_TAG_PREFIX} are reserved for this tool`
            : !TAG_CHARACTERS.test(key)
              ? 'key has characters tags cannot hold'
              : value.length > 256
                ? 'value must be at most 256 characters'
                : !TAG_CHARACTERS.test(value)
                  ? 'value has characters tags cannot hold'
                  : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [key] });
  }
}
