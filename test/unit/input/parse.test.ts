import { INVALID_INPUT, InvalidInputError } from '../../../src/errors.ts';
import { MAX_COMPLETION_CHECKS } from '../../../src/input/limits.ts';
import { parseExecutionInput } from '../../../src/input/parse.ts';
import { DEFAULT_SNAPSHOT_DESCRIPTION } from '../../../src/input/schema.ts';
import { MAX_USER_TAGS } from '../../../src/snapshot/tags.ts';
import { GATEWAY_ARN, OTHER_GATEWAY_ARN, volumeArn } from '../../helpers/fixtures.ts';

/** The error `parseExecutionInput` throws for `input`; fails the test if it accepts it. */
function rejection(input: unknown): InvalidInputError {
  try {
    parseExecutionInput(input);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

const VOLUME = volumeArn('vol-1122AABB');

describe('parseExecutionInput', () => {
  describe('defaults', () => {
    // `null` used to mean `{}`; issue 11 makes it an error (see "rejects an input that is not an object").
    it.each([
      ['{}', {}],
      ['undefined', undefined],
    ])('gives %s every default: all gateways, all volumes, a real run', (_case, input) => {
      // Act
      const options = parseExecutionInput(input);

      // Assess
      expect(options).toEqual({
        excludeVolumeArns: [],
        policy: {
          minAgeMinutes: 0,
          minUsageBytes: 1,
          minUsagePercent: 0,
          unknownUsage: 'snapshot',
          skipIfAlreadySnapshotted: true,
        },
        dryRun: false,
        snapshotDescription: DEFAULT_SNAPSHOT_DESCRIPTION,
        tags: {},
        maxConcurrency: { gateways: 4, snapshots: 10 },
        waitForCompletion: false,
        completionCheckIntervalSeconds: 60,
        completionTimeoutMinutes: 360,
        // Copies (issue 13)
        copies: [],
        copyCheckIntervalSeconds: 60,
        copyTimeoutMinutes: 360,
      });
      expect(options.gatewayArns).toBeUndefined();
      expect(options.volumeArns).toBeUndefined();
      expect(options.policy.maxAgeHours).toBeUndefined();
    });

    it('keeps what the caller gave and fills in the rest of a nested object', () => {
      // Act
      const options = parseExecutionInput({
        gatewayArns: [GATEWAY_ARN, OTHER_GATEWAY_ARN],
        policy: { minAgeMinutes: 30 },
        maxConcurrency: { snapshots: 40 },
        tags: { team: 'storage', 'cost-centre': '42' },
        dryRun: true,
      });

      // Assess
      expect(options.gatewayArns).toEqual([GATEWAY_ARN, OTHER_GATEWAY_ARN]);
      expect(options.policy).toMatchObject({ minAgeMinutes: 30, minUsageBytes: 1, unknownUsage: 'snapshot' });
      expect(options.maxConcurrency).toEqual({ gateways: 4, snapshots: 40 });
      expect(options.tags).toEqual({ team: 'storage', 'cost-centre': '42' });
      expect(options.dryRun).toBe(true);
    });

    it('accepts ARNs of other partitions', () => {
      // Prepare
      const govCloud = 'arn:aws-us-gov:storagegateway:us-gov-west-1:111122223333:gateway/sgw-12A3456B';

      // Act
      const options = parseExecutionInput({ gatewayArns: [govCloud], volumeArns: [`${govCloud}/volume/vol-1122AABB`] });

      // Assess
      expect(options.gatewayArns).toEqual([govCloud]);
    });
  });

  describe('rejects with InvalidInput naming the field', () => {
    it.each<[string, unknown, string]>([
      ['a gateway ARN that is not one', { gatewayArns: ['sgw-12A3456B'] }, 'gatewayArns[0]'],
      ['a volume ARN as a gateway ARN', { gatewayArns: [GATEWAY_ARN, VOLUME] }, 'gatewayArns[1]'],
      ['an empty gateway list', { gatewayArns: [] }, 'gatewayArns'],
      ['a repeated gateway', { gatewayArns: [GATEWAY_ARN, GATEWAY_ARN] }, 'gatewayArns'],
      ['gatewayArns as a string', { gatewayArns: GATEWAY_ARN }, 'gatewayArns'],
      ['a gateway ARN in volumeArns', { volumeArns: [GATEWAY_ARN] }, 'volumeArns[0]'],
      ['a repeated volume', { volumeArns: [VOLUME, VOLUME] }, 'volumeArns'],
      ['a bad ARN in excludeVolumeArns', { excludeVolumeArns: ['vol-1122AABB'] }, 'excludeVolumeArns[0]'],
      ['a repeated excluded volume', { excludeVolumeArns: [VOLUME, VOLUME] }, 'excludeVolumeArns'],
      ['a negative minAgeMinutes', { policy: { minAgeMinutes: -1 } }, 'policy.minAgeMinutes'],
      ['a zero maxAgeHours', { policy: { maxAgeHours: 0 } }, 'policy.maxAgeHours'],
      ['a negative maxAgeHours', { policy: { maxAgeHours: -24 } }, 'policy.maxAgeHours'],
      ['a negative minUsageBytes', { policy: { minUsageBytes: -1 } }, 'policy.minUsageBytes'],
      ['a fractional minUsageBytes', { policy: { minUsageBytes: 1.5 } }, 'policy.minUsageBytes'],
      ['minUsagePercent over 100', { policy: { minUsagePercent: 100.1 } }, 'policy.minUsagePercent'],
      ['a negative minUsagePercent', { policy: { minUsagePercent: -1 } }, 'policy.minUsagePercent'],
      ['an unknownUsage outside the enum', { policy: { unknownUsage: 'ignore' } }, 'policy.unknownUsage'],
      [
        'skipIfAlreadySnapshotted as a string',
        { policy: { skipIfAlreadySnapshotted: 'false' } },
        'policy.skipIfAlreadySnapshotted',
      ],
      ['minAgeMinutes as a string', { policy: { minAgeMinutes: '30' } }, 'policy.minAgeMinutes'],
      ['policy as a string', { policy: 'strict' }, 'policy'],
      ['dryRun as a string', { dryRun: 'true' }, 'dryRun'],
      ['dryRun as a number', { dryRun: 1 }, 'dryRun'],
      ['an empty snapshotDescription', { snapshotDescription: '' }, 'snapshotDescription'],
      ['an unknown placeholder', { snapshotDescription: 'Backup of {volumeName}' }, 'snapshotDescription'],
      [
        'a description too long once rendered',
        { snapshotDescription: `${'x'.repeat(200)} {executionName}` },
        'snapshotDescription',
      ],
      ['a tag key starting with aws:', { tags: { 'aws:cloudformation:stack': 'x' } }, 'tags.aws:cloudformation:stack'],
      ['a tag key starting with AWS: in capitals', { tags: { 'AWS:owner': 'x' } }, 'tags.AWS:owner'],
      ['a tag key starting with sgw-snap:', { tags: { 'sgw-snap:volume-arn': 'x' } }, 'tags.sgw-snap:volume-arn'],
      ['a tag key of 129 characters', { tags: { ['k'.repeat(129)]: 'x' } }, `tags.${'k'.repeat(129)}`],
      ['an empty tag key', { tags: { '': 'x' } }, 'tags.'],
      ['a tag value of 257 characters', { tags: { team: 'v'.repeat(257) } }, 'tags.team'],
      ['a tag key with characters tags cannot hold', { tags: { 'team#1': 'x' } }, 'tags.team#1'],
      ['a tag value with characters tags cannot hold', { tags: { team: 'a;b' } }, 'tags.team'],
      ['a tag value that is not a string', { tags: { copies: 2 } }, 'tags.copies'],
      [
        `${MAX_USER_TAGS + 1} tags`,
        { tags: Object.fromEntries(Array.from({ length: MAX_USER_TAGS + 1 }, (_, i) => [`tag-${i}`, 'x'])) },
        'tags',
      ],
      ['maxConcurrency.gateways 0', { maxConcurrency: { gateways: 0 } }, 'maxConcurrency.gateways'],
      ['maxConcurrency.snapshots 41', { maxConcurrency: { snapshots: 41 } }, 'maxConcurrency.snapshots'],
      ['a fractional maxConcurrency', { maxConcurrency: { snapshots: 2.5 } }, 'maxConcurrency.snapshots'],
      ['waitForCompletion as a string', { waitForCompletion: 'yes' }, 'waitForCompletion'],
      ['completionCheckIntervalSeconds 0', { completionCheckIntervalSeconds: 0 }, 'completionCheckIntervalSeconds'],
      [
        'completionCheckIntervalSeconds 3601',
        { completionCheckIntervalSeconds: 3601 },
        'completionCheckIntervalSeconds',
      ],
      [
        'a fractional completionCheckIntervalSeconds',
        { completionCheckIntervalSeconds: 1.5 },
        'completionCheckIntervalSeconds',
      ],
      ['completionTimeoutMinutes 0', { completionTimeoutMinutes: 0 }, 'completionTimeoutMinutes'],
      ['completionTimeoutMinutes over a week', { completionTimeoutMinutes: 10_081 }, 'completionTimeoutMinutes'],
      ['a misspelt top-level field', { dryrun: true }, 'dryrun'],
      ['a misspelt policy field', { policy: { minAgeMinute: 60 } }, 'policy.minAgeMinute'],
      ['a misspelt maxConcurrency field', { maxConcurrency: { snapshot: 5 } }, 'maxConcurrency.snapshot'],
    ])('%s', (_case, input, field) => {
      // Act
      const error = rejection(input);

      // Assess
      expect(error.name).toBe(INVALID_INPUT);
      expect(error.field).toBe(field);
      expect(error.message).toContain(`${field}:`);
    });

    it('rejects an input that is not an object', () => {
      // Act
      const errors = [null, 'gatewayArns', [GATEWAY_ARN], 42, true, ''].map(rejection);

      // Assess
      expect(errors.map((e) => e.name)).toEqual(Array(6).fill(INVALID_INPUT));
      expect(errors.map((e) => e.field)).toEqual(Array(6).fill('(input)'));
    });

    it('names every problem in the message, the first in field, and keeps the cause', () => {
      // Act
      const error = rejection({ dryRun: 'no', policy: { minUsagePercent: 101 }, colour: 'blue' });

      // Assess
      expect(['dryRun', 'policy.minUsagePercent', 'colour']).toContain(error.field);
      expect(error.message).toContain('policy.minUsagePercent: ');
      expect(error.message).toContain('dryRun: ');
      expect(error.message).toContain('colour: unknown field');
      expect(error.cause).toBeDefined();
    });

    it('says why a field is wrong', () => {
      // Act
      const reasons = [
        rejection({ tags: { 'sgw-snap:mine': 'x' } }),
        rejection({ tags: { 'aws:mine': 'x' } }),
        rejection({ snapshotDescription: 'Backup of {volumeName}' }),
        rejection({ snapshotDescription: `${'x'.repeat(200)} {executionName}` }),
        rejection({ gatewayArns: [GATEWAY_ARN, GATEWAY_ARN] }),
      ].map((e) => e.message);

      // Assess
      expect(reasons).toEqual([
        expect.stringContaining('reserved for this tool'),
        expect.stringContaining('reserved by AWS'),
        expect.stringContaining('{volumeName}'),
        expect.stringContaining('255'),
        expect.stringContaining('must not repeat'),
      ]);
    });
  });

  describe('limits, inclusive', () => {
    it('accepts the largest values each limit allows', () => {
      // Prepare
      const tags = Object.fromEntries(Array.from({ length: MAX_USER_TAGS - 1 }, (_, i) => [`tag-${i}`, 'x']));

      // Act
      const options = parseExecutionInput({
        policy: { minUsagePercent: 100, minAgeMinutes: 0, minUsageBytes: 0 },
        maxConcurrency: { gateways: 40, snapshots: 1 },
        completionCheckIntervalSeconds: 3600,
        completionTimeoutMinutes: 10_080,
        tags: { ...tags, ['k'.repeat(128)]: 'v'.repeat(256) },
      });

      // Assess
      expect(Object.keys(options.tags)).toHaveLength(MAX_USER_TAGS);
      expect(options.maxConcurrency.gateways).toBe(40);
    });

    it.each([
      [1, (MAX_COMPLETION_CHECKS - 1) / 60],
      [60, MAX_COMPLETION_CHECKS - 1],
      [300, (MAX_COMPLETION_CHECKS - 1) * 5],
    ])(
      'accepts a completion wait of %i s intervals up to %d minutes, and refuses one second more',
      (interval, minutes) => {
        // Prepare
        const wait = { waitForCompletion: true, completionCheckIntervalSeconds: interval };

        // Act
        const options = parseExecutionInput({ ...wait, completionTimeoutMinutes: minutes });
        const error = rejection({ ...wait, completionTimeoutMinutes: minutes + 1 / 60 });

        // Assess
        expect(options.completionTimeoutMinutes).toBe(minutes);
        expect(error.field).toBe('completionTimeoutMinutes');
        expect(error.message).toContain('completionCheckIntervalSeconds');
      },
    );

    it('bounds the completion wait only when the run waits', () => {
      // Act
      const options = parseExecutionInput({ completionCheckIntervalSeconds: 1, completionTimeoutMinutes: 10_080 });

      // Assess
      expect(options.waitForCompletion).toBe(false);
    });

    it('rejects one tag too many only when it makes 47', () => {
      // Prepare
      const tags = Object.fromEntries(Array.from({ length: MAX_USER_TAGS }, (_, i) => [`tag-${i}`, 'x']));

      // Act
      const accepted = parseExecutionInput({ tags });
      const act = () => parseExecutionInput({ tags: { ...tags, one: 'more' } });

      // Assess
      expect(MAX_USER_TAGS).toBe(46);
      expect(Object.keys(accepted.tags)).toHaveLength(46);
      expect(act).toThrow(expect.objectContaining({ name: INVALID_INPUT, field: 'tags' }));
    });

    it('accepts a description that renders to exactly 255 characters and tag characters AWS allows', () => {
      // Prepare: {executionName} can be 80 characters.
      const template = `${'x'.repeat(174)} {executionName}`;

      // Act
      const options = parseExecutionInput({
        snapshotDescription: template,
        tags: { 'Owner Name': 'Ærøskøbing ops', 'path/to:key=+-@_.': 'ok' },
      });

      // Assess
      expect(options.snapshotDescription).toBe(template);
    });
  });
});
