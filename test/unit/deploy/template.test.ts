import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { COPY_ROLE_NAME_VARIABLE } from '../../../src/copies/role.ts';
import { COPY_TAG } from '../../../src/copies/tags.ts';
import {
  IDEMPOTENCY_EXPIRY_ATTRIBUTE,
  IDEMPOTENCY_KEY_ATTRIBUTE,
  IDEMPOTENCY_TABLE_VARIABLE,
} from '../../../src/create-once/idempotency-table.ts';
import { IDEMPOTENCY_ALREADY_IN_PROGRESS } from '../../../src/create-once/idempotent.ts';
import { LAMBDA_SERVICE_ERRORS, TRANSIENT_AWS_ERRORS } from '../../../src/errors.ts';
import { ExecutionInputSchema } from '../../../src/input/schema.ts';
import { DEFAULT_RPO_TARGET_HOURS, NOTIFIER_VARIABLES, RPO_TARGET_VARIABLE } from '../../../src/monitoring/config.ts';
import { EXECUTION_METRICS, skippedMetricName } from '../../../src/monitoring/figures.ts';
import { API_METRICS } from '../../../src/monitoring/metrics.ts';
import { RESTORE_TAG, RESTORE_TEST_TAG_VALUE } from '../../../src/restore/tags.ts';
import { RETENTION_DELETE_TAG, SNAPSHOT_TAG } from '../../../src/snapshot/tags.ts';
import { SKIP_REASONS } from '../../../src/workflow/types.ts';
import type { CfnResource, CfnTemplate, PackagedService } from '../../helpers/package.ts';
import {
  lintTemplate,
  PACKAGE_STAGE,
  PACKAGE_TIMEOUT_MS,
  packageOnce,
  packageWithParams,
} from '../../helpers/package.ts';
import type { AslRetrier, IamStatement } from '../../helpers/package-template.ts';
import {
  allStates,
  asArray,
  iamStatements,
  isRecord,
  referencedLogicalId,
  resolveConditions,
  resourcesOfType,
  roleStatements,
  ssmReferences,
  stateMachineDefinition,
} from '../../helpers/package-template.ts';
import { listZip } from '../../helpers/package-zip.ts';

const run = promisify(execFile);

/** Lambda's default concurrency per account and Region, of which AWS keeps 100 unreserved. */
const ACCOUNT_CONCURRENCY = 1_000;
const UNRESERVED_CONCURRENCY = 100;
/** `serverless.yml`'s default params. */
const DEFAULT_CREATE_SNAPSHOT_CONCURRENCY = 100;
const DEFAULT_GATEWAY_STEP_CONCURRENCY = 40;

const STATE_MACHINE = 'SnapshotStateMachine';
const STALE_VOLUMES_ALARM = 'StaleVolumesAlarm';
const NOTIFY_FUNCTION = 'NotifyLambdaFunction';
const STATE_MACHINE_ROLE = 'StateMachineRole';
const RUNBOOK = 'Runbook';
const RUNBOOK_ROLE = 'RunbookRole';
const LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
/** What Storage Gateway answers when a later attempt may succeed; every AWS-calling Task retries these. */
const STORAGE_GATEWAY_TRANSIENT_ERRORS = ['InternalServerError', 'ServiceUnavailableError', 'ThrottlingException'];

/** Copies (issue 13): what EC2 needs of the caller to encrypt a copy with the destination's key (kms:ViaService EC2). */
const COPY_KMS_ACTIONS = [
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/** What Powertools' DynamoDB persistence layer calls on the idempotency table. */
const IDEMPOTENCY_ACTIONS = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
const IDEMPOTENCY_TABLE = 'IdempotencyTable';

/** Each function's logical ID prefix and the only AWS actions its handler calls. */
const FUNCTIONS = {
  plan: { id: 'Plan', actions: ['storagegateway:ListGateways'] },
  listRecoveryPoints: {
    id: 'ListRecoveryPoints',
    actions: [
      'storagegateway:ListVolumeRecoveryPoints',
      'storagegateway:DescribeGatewayInformation',
      'ec2:DescribeSnapshots',
    ],
  },
  createSnapshot: {
    id: 'CreateSnapshot',
    actions: [
      'storagegateway:CreateSnapshotFromVolumeRecoveryPoint',
      'ec2:DescribeSnapshots',
      'ec2:CreateTags',
      ...IDEMPOTENCY_ACTIONS,
    ],
  },
  checkSnapshots: {
    id: 'CheckSnapshots',
    actions: ['ec2:DescribeSnapshots', 's3:GetObject', 's3:PutObject', 's3:ListBucket'],
  },
  summariseGateway: { id: 'SummariseGateway', actions: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'] },
  summarise: {
    id: 'Summarise',
    actions: [
      'storagegateway:ListGateways',
      'ec2:DescribeSnapshots',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      // Copies (issue 13): the destinations' books.
      's3:GetObject',
    ],
  },
  notify: { id: 'Notify', actions: ['sns:Publish', 'states:ListExecutions', 's3:GetObject', 's3:ListBucket'] },
  // Retention (issue 12)
  applyRetention: {
    id: 'ApplyRetention',
    actions: [
      'ec2:DescribeSnapshots',
      'ec2:DescribeLockedSnapshots',
      'ec2:DeleteSnapshot',
      'ec2:LockSnapshot',
      'ec2:ModifySnapshotTier',
      'ec2:CreateTags',
      's3:GetObject',
      's3:PutObject',
      's3:ListBucket',
    ],
  },
  // Restore (issue 14)
  restorePlan: {
    id: 'RestorePlan',
    actions: [
      'storagegateway:DescribeGatewayInformation',
      'storagegateway:DescribeCache',
      'storagegateway:DescribeUploadBuffer',
      'storagegateway:ListVolumes',
      'storagegateway:DescribeCachediSCSIVolumes',
      'ec2:DescribeSnapshots',
      'kms:DescribeKey',
      's3:GetObject',
      's3:PutObject',
      's3:ListBucket',
    ],
  },
  restoreCreate: {
    id: 'RestoreCreate',
    actions: [
      'storagegateway:CreateCachediSCSIVolume',
      'storagegateway:AddTagsToResource',
      'storagegateway:ListVolumes',
      'storagegateway:DescribeCachediSCSIVolumes',
      'ec2:CreateVolume',
      'ec2:CreateVolume',
      'ec2:CreateTags',
      'ec2:DescribeVolumes',
    ],
  },
  restoreCheck: { id: 'RestoreCheck', actions: ['storagegateway:DescribeCachediSCSIVolumes', 'ec2:DescribeVolumes'] },
  restoreCleanup: {
    id: 'RestoreCleanup',
    actions: [
      'storagegateway:ListTagsForResource',
      'storagegateway:DeleteVolume',
      'ec2:DeleteVolume',
      'ec2:DescribeVolumes',
    ],
  },
  restoreSummarise: { id: 'RestoreSummarise', actions: ['s3:PutObject', 's3:GetObject', 's3:ListBucket'] },
  // A whole fleet's restore: each batch's child execution reads its volumes and records their outcomes.
  restoreLoadBatch: { id: 'RestoreLoadBatch', actions: ['s3:GetObject'] },
  restoreRecordBatch: { id: 'RestoreRecordBatch', actions: ['s3:PutObject'] },
  // Copies (issue 13)
  copyPlan: { id: 'CopyPlan', actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'] },
  copyRound: {
    id: 'CopyRound',
    actions: [
      'ec2:DescribeSnapshots',
      'ec2:CopySnapshot',
      'ec2:CopySnapshot',
      'ec2:CreateTags',
      ...COPY_KMS_ACTIONS,
      'ec2:ModifySnapshotAttribute',
      'sts:AssumeRole',
      // Retention of the copies per destination
      'ec2:DeleteSnapshot',
      'ec2:CreateTags',
      'dynamodb:PutItem',
      's3:GetObject',
      's3:PutObject',
      's3:ListBucket',
    ],
  },
} as const satisfies Record<string, { id: string; actions: readonly string[] }>;

/**
 * Actions that have no resource type in the Service Authorization Reference, so IAM only
 * accepts them on `Resource: "*"`.
 */
const UNSCOPED_ACTIONS = new Set([
  'storagegateway:ListGateways',
  'ec2:DescribeSnapshots',
  'ec2:DescribeLockedSnapshots',
  // Restore (issue 14): EC2's Describe actions take no resource.
  'ec2:DescribeVolumes',
  // Vended log delivery of the state machine: CloudWatch Logs requires "*" for these.
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

/** The actions of SSM Automation (schema 0.3). */
const AUTOMATION_ACTIONS = new Set([
  'aws:approve',
  'aws:assertAwsResourceProperty',
  'aws:branch',
  'aws:changeInstanceState',
  'aws:copyImage',
  'aws:createImage',
  'aws:createStack',
  'aws:createTags',
  'aws:deleteImage',
  'aws:deleteStack',
  'aws:executeAutomation',
  'aws:executeAwsApi',
  'aws:executeScript',
  'aws:executeStateMachine',
  'aws:invokeLambdaFunction',
  'aws:invokeWebhook',
  'aws:loop',
  'aws:pause',
  'aws:runCommand',
  'aws:runInstances',
  'aws:sleep',
  'aws:updateVariable',
  'aws:waitForAwsResourceProperty',
]);

interface AutomationStep {
  name: string;
  action: string;
  inputs: Record<string, unknown>;
  outputs?: { Name: string; Selector: string; Type: string }[];
  nextStep?: string;
  onFailure?: string;
  timeoutSeconds?: number;
  isEnd?: boolean;
}

interface AutomationDocument {
  schemaVersion: string;
  assumeRole: string;
  parameters: Record<string, { type: string; default?: unknown; allowedPattern?: string }>;
  mainSteps: AutomationStep[];
  outputs: string[];
}

let service: PackagedService;
let template: CfnTemplate;

beforeAll(async () => {
  service = await packageOnce();
  template = resolveConditions(service.template);
}, PACKAGE_TIMEOUT_MS);

function resource(logicalId: string): CfnResource {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`the template has no ${logicalId}`);
  return found;
}

function lambdaTasks() {
  const { definition, substitutions } = stateMachineDefinition(resource(STATE_MACHINE));
  return [...allStates(definition.States)]
    .filter(([, state]) => state.Type === 'Task')
    .map(([name, state]) => {
      const placeholder = /^\$\{(.+)\}$/.exec(String(state.Resource))?.[1] ?? '';
      const functionLogicalId = referencedLogicalId(substitutions[placeholder]) ?? '';
      return { name, state, functionLogicalId };
    });
}

function retrierFor(retriers: AslRetrier[] | undefined, errors: readonly string[]): AslRetrier | undefined {
  return retriers?.find((retrier) => errors.every((error) => retrier.ErrorEquals.includes(error)));
}

/** The retrier exists and backs off exponentially, capped and with full jitter. */
function expectBackoff(taskName: string, retrier: AslRetrier | undefined): void {
  expect({ taskName, retrier }).toEqual({
    taskName,
    retrier: expect.objectContaining({
      BackoffRate: expect.any(Number),
      MaxDelaySeconds: expect.any(Number),
      JitterStrategy: 'FULL',
    }),
  });
}

function runbook(): AutomationDocument {
  return resource(RUNBOOK).Properties?.Content as AutomationDocument;
}

describe('the packaged state machine', () => {
  it("is a STANDARD state machine whose Tasks all call this stack's functions", () => {
    const properties = resource(STATE_MACHINE).Properties ?? {};
    expect(properties.StateMachineType).toBe('STANDARD');
    const tasks = lambdaTasks();
    expect(tasks.length).toBeGreaterThan(0);
    for (const { name, functionLogicalId } of tasks) {
      expect({ name, type: resource(functionLogicalId).Type }).toEqual({ name, type: 'AWS::Lambda::Function' });
    }
  });

  it("gives every Lambda Task a timeout longer than the function's own", () => {
    for (const { name, state, functionLogicalId } of lambdaTasks()) {
      const lambdaTimeout = Number(resource(functionLogicalId).Properties?.Timeout);
      expect({ name, timeout: typeof state.TimeoutSeconds }).toEqual({ name, timeout: 'number' });
      expect({ name, longer: (state.TimeoutSeconds ?? 0) > lambdaTimeout }).toEqual({ name, longer: true });
    }
  });

  it('retries the Lambda service errors with capped, jittered backoff on every Lambda Task', () => {
    for (const { name, state } of lambdaTasks()) {
      expectBackoff(name, retrierFor(state.Retry, LAMBDA_SERVICE_ERRORS));
    }
  });

  it('retries transient Storage Gateway errors on every Task whose function calls Storage Gateway or EC2', () => {
    expect(TRANSIENT_AWS_ERRORS).toEqual(expect.arrayContaining(STORAGE_GATEWAY_TRANSIENT_ERRORS));
    const callers = Object.values(FUNCTIONS)
      .filter((fn) => fn.actions.some((action) => /^(storagegateway|ec2):/.test(action)))
      .map((fn) => `${fn.id}LambdaFunction`);
    const tasks = lambdaTasks().filter(({ functionLogicalId }) => callers.includes(functionLogicalId));
    expect(tasks.length).toBeGreaterThan(0);
    for (const { name, state } of tasks) {
      expectBackoff(name, retrierFor(state.Retry, STORAGE_GATEWAY_TRANSIENT_ERRORS));
    }
  });

  it('logs errors without execution data to its own log group', () => {
    expect(resource(STATE_MACHINE).Properties?.LoggingConfiguration).toEqual({
      Level: 'ERROR',
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': ['StateMachineLogGroup', 'Arn'] } } }],
    });
  });

  it('is started by an EventBridge Scheduler schedule in a named time zone, disabled outside prod', () => {
    const schedules = resourcesOfType(template, 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(1);
    const properties = schedules[0]?.[1].Properties ?? {};
    expect(properties.ScheduleExpression).toMatch(/^(cron|rate)\(/);
    expect(properties.ScheduleExpressionTimezone).toEqual(expect.any(String));
    expect(properties.State).toBe('DISABLED');
    const target = properties.Target as { Arn: unknown; Input: string };
    expect(referencedLogicalId(target.Arn)).toBe(STATE_MACHINE);
    expect(ExecutionInputSchema.safeParse(JSON.parse(target.Input)).success).toBe(true);
  });

  it('raises alarms and announces aborted, failed and timed-out executions on one topic', () => {
    // The stale-volume alarm reaches the topic through the notifier, which names the volumes (see "monitoring").
    const metrics = resourcesOfType(template, 'AWS::CloudWatch::Alarm')
      .filter(([id]) => id !== STALE_VOLUMES_ALARM)
      .map(([, alarm]) => {
        expect(asArray(alarm.Properties?.AlarmActions as unknown[]).map(referencedLogicalId)).toEqual(['AlarmTopic']);
        return alarm.Properties?.MetricName ?? 'Metrics Insights query';
      });
    expect(metrics.sort()).toEqual([
      'Errors',
      'ExecutionThrottled',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'Metrics Insights query',
      'SnapshotsNotRemoved',
      'SuccessfulExecutions',
    ]);

    const rule = resource('ExecutionEndedRule').Properties ?? {};
    expect(rule.EventPattern).toEqual(
      expect.objectContaining({
        detail: { status: ['ABORTED', 'FAILED', 'TIMED_OUT'], stateMachineArn: [{ Ref: STATE_MACHINE }] },
      }),
    );
    // Through the notifier, which turns the event into text: no raw JSON reaches the topic.
    expect(asArray(rule.Targets as { Arn: unknown }[]).map((target) => referencedLogicalId(target.Arn))).toEqual([
      NOTIFY_FUNCTION,
    ]);

    const policies = resourcesOfType(template, 'AWS::SNS::TopicPolicy');
    expect(policies.map(([id]) => id)).toEqual(['AlarmTopicPolicy']);
    const publishers = asArray(
      (policies[0]?.[1]?.Properties?.PolicyDocument as { Statement: { Principal: { Service: string } }[] } | undefined)
        ?.Statement,
    ).map((statement) => statement.Principal.Service);
    expect(publishers.sort()).toEqual(['cloudwatch.amazonaws.com']);
  });
});

describe('the packaged IAM policies', () => {
  const allows = (): { owner: string; statement: IamStatement }[] =>
    iamStatements(template).filter(({ statement }) => statement.Effect === 'Allow');

  it('name no action with a wildcard', () => {
    const wild = allows().flatMap(({ owner, statement }) =>
      statement.Action.filter((action) => action.includes('*')).map((action) => `${owner}: ${action}`),
    );
    expect(wild).toEqual([]);
  });

  it('grant "*" only to actions that cannot be scoped to a resource', () => {
    const overreaching = allows()
      .filter(({ statement }) => statement.Resource.includes('*'))
      .flatMap(({ owner, statement }) =>
        statement.Action.filter((action) => !UNSCOPED_ACTIONS.has(action)).map((action) => `${owner}: ${action}`),
      );
    expect(overreaching).toEqual([]);
  });

  it.each(Object.entries(FUNCTIONS))('give %s a role of its own with only its actions', (key, { id, actions }) => {
    const fn = resource(`${id}LambdaFunction`);
    expect(referencedLogicalId(fn.Properties?.Role)).toBe(`${id}Role`);

    const statements = roleStatements(template, `${id}Role`);
    const granted = statements.flatMap((statement) => statement.Action);
    expect(granted.sort()).toEqual([...LOG_ACTIONS, ...actions].sort());
    for (const statement of statements.filter((s) => s.Action.some((action) => LOG_ACTIONS.includes(action)))) {
      expect({ key, logGroups: statement.Resource }).toEqual({
        key,
        logGroups: [{ 'Fn::GetAtt': [`${id}LogGroup`, 'Arn'] }],
      });
    }
  });

  it('scope the Storage Gateway and EC2 writes to gateways, volumes and snapshots', () => {
    const resourcesOf = (role: string, action: string) =>
      roleStatements(template, role)
        .filter((statement) => statement.Action.includes(action))
        .flatMap((statement) => statement.Resource);
    expect(resourcesOf('ListRecoveryPointsRole', 'storagegateway:ListVolumeRecoveryPoints')).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:storagegateway:${AWS::Region}:${AWS::AccountId}:gateway/*' },
    ]);
    expect(resourcesOf('CreateSnapshotRole', 'storagegateway:CreateSnapshotFromVolumeRecoveryPoint')).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:storagegateway:${AWS::Region}:${AWS::AccountId}:gateway/*/volume/*' },
    ]);
    expect(resourcesOf('CreateSnapshotRole', 'ec2:CreateTags')).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}::snapshot/*' },
    ]);
  });

  it('let the create function set no snapshot tag but the recovery-point time it corrects', () => {
    const tagging = roleStatements(template, 'CreateSnapshotRole').filter((s) => s.Action.includes('ec2:CreateTags'));
    expect(tagging.map((s) => s.Condition)).toEqual([
      {
        'ForAllValues:StringEquals': { 'aws:TagKeys': [SNAPSHOT_TAG.recoveryPointTime] },
        // Only snapshots that already carry our volume tag, naming a volume of this account and Region.
        StringLike: {
          [`aws:ResourceTag/${SNAPSHOT_TAG.volumeArn}`]: {
            'Fn::Sub': 'arn:${AWS::Partition}:storagegateway:${AWS::Region}:${AWS::AccountId}:gateway/*/volume/*',
          },
        },
      },
    ]);
  });

  it('let retention delete, lock, archive, and tag for the Recycle Bin, only snapshots carrying our volume tag', () => {
    const ours = {
      StringLike: {
        [`aws:ResourceTag/${SNAPSHOT_TAG.volumeArn}`]: {
          'Fn::Sub': 'arn:${AWS::Partition}:storagegateway:${AWS::Region}:${AWS::AccountId}:gateway/*/volume/*',
        },
      },
    };
    const statementOf = (action: string) =>
      roleStatements(template, 'ApplyRetentionRole').filter((s) => s.Action.includes(action));
    expect(statementOf('ec2:DeleteSnapshot')).toEqual([
      {
        Effect: 'Allow',
        Action: ['ec2:DeleteSnapshot'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}::snapshot/*' }],
        Condition: ours,
      },
    ]);
    expect(statementOf('ec2:ModifySnapshotTier')).toEqual(statementOf('ec2:LockSnapshot'));
    expect(statementOf('ec2:LockSnapshot').map((s) => [s.Resource, s.Condition])).toEqual([
      [[{ 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}::snapshot/*' }], ours],
    ]);
    expect(statementOf('ec2:CreateTags').map((s) => s.Condition)).toEqual([
      { 'ForAllValues:StringEquals': { 'aws:TagKeys': [RETENTION_DELETE_TAG.Key] }, ...ours },
    ]);
  });

  // Copies (issue 13)
  it('let the copy rounds copy only our snapshots, into copies carrying our copy tags, tagged only at birth', () => {
    const ourVolumes = {
      'Fn::Sub': 'arn:${AWS::Partition}:storagegateway:${AWS::Region}:${AWS::AccountId}:gateway/*/volume/*',
    };
    const statementOf = (action: string) =>
      roleStatements(template, 'CopyRoundRole').filter((s) => s.Action.includes(action));
    expect(statementOf('ec2:CopySnapshot').map((s) => [s.Resource, s.Condition])).toEqual([
      [
        [{ 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}::snapshot/*' }],
        { StringLike: { [`aws:ResourceTag/${SNAPSHOT_TAG.volumeArn}`]: ourVolumes } },
      ],
      [
        [{ 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*::snapshot/*' }],
        { StringLike: { [`aws:RequestTag/${COPY_TAG.volumeArn}`]: ourVolumes } },
      ],
    ]);
    const ourCopies = { [`aws:ResourceTag/${COPY_TAG.volumeArn}`]: ourVolumes };
    expect(statementOf('ec2:CreateTags').map((s) => s.Condition)).toEqual([
      { StringEquals: { 'ec2:CreateAction': 'CopySnapshot' } },
      // Retention of the copies: the one Recycle Bin tag, on our copies only.
      { 'ForAllValues:StringEquals': { 'aws:TagKeys': [RETENTION_DELETE_TAG.Key] }, StringLike: ourCopies },
    ]);
    expect(statementOf('ec2:DeleteSnapshot').map((s) => s.Condition)).toEqual([{ StringLike: ourCopies }]);
    // Across accounts: share only our snapshots, and assume only the destinations' copy role of this stack.
    expect(statementOf('ec2:ModifySnapshotAttribute').map((s) => [s.Resource, s.Condition])).toEqual([
      [
        [{ 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}::snapshot/*' }],
        { StringLike: { [`aws:ResourceTag/${SNAPSHOT_TAG.volumeArn}`]: ourVolumes } },
      ],
    ]);
    const name = String(resource(STATE_MACHINE).Properties?.StateMachineName);
    expect(statementOf('sts:AssumeRole').map((s) => s.Resource)).toEqual([
      [{ 'Fn::Sub': `arn:\${AWS::Partition}:iam::*:role/${name}-copy` }],
    ]);
    expect(resource('CopyRoundRole').Properties?.RoleName).toBe(`${name}-copy-round`);
    const environment = resource('CopyRoundLambdaFunction').Properties?.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(environment.Variables[COPY_ROLE_NAME_VARIABLE]).toBe(`${name}-copy`);
    expect(statementOf('kms:CreateGrant').map((s) => [s.Resource, s.Condition])).toEqual([
      [
        [{ 'Fn::Sub': 'arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*' }],
        { StringLike: { 'kms:ViaService': 'ec2.*.amazonaws.com' } },
      ],
    ]);
  });

  it('has no Recycle Bin rule unless the stage asks for one', () => {
    const rules = resourcesOfType(template, 'AWS::Rbin::Rule');
    expect(rules.map(([, rule]) => (rule as { Condition?: string }).Condition)).toEqual(['RecycleBin']);
    const parameters = (template as { Parameters?: Record<string, { Default?: unknown }> }).Parameters ?? {};
    expect(Number(parameters.RecycleBinRetentionDays?.Default)).toBe(0);
  });

  it('let the state machine invoke exactly the functions its Tasks call and run only its own children', () => {
    expect(referencedLogicalId(resource(STATE_MACHINE).Properties?.RoleArn)).toBe(STATE_MACHINE_ROLE);
    const name = String(resource(STATE_MACHINE).Properties?.StateMachineName);
    const statements = roleStatements(template, STATE_MACHINE_ROLE);
    const grantsOf = (action: string) =>
      statements.filter((statement) => statement.Action.includes(action)).flatMap((statement) => statement.Resource);

    const invoked = grantsOf('lambda:InvokeFunction').map(referencedLogicalId);
    const called = new Set(lambdaTasks().map((task) => task.functionLogicalId));
    expect(invoked.sort()).toEqual([...called].sort());
    expect(grantsOf('states:StartExecution')).toEqual([
      { 'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${name}` },
    ]);
    // Distributed Map children are labelled executions: execution:<name>/<map run label>:<id>.
    for (const action of ['states:DescribeExecution', 'states:StopExecution']) {
      expect(grantsOf(action)).toEqual([
        { 'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:${name}/*` },
      ]);
    }
    const others = statements
      .flatMap((statement) => statement.Action)
      .filter((action) => !action.startsWith('states:') && action !== 'lambda:InvokeFunction');
    expect(others.filter((action) => !(UNSCOPED_ACTIONS.has(action) && action.startsWith('logs:')))).toEqual([]);
  });

  it('let the schedule start this state machine only', () => {
    const [[, schedule] = []] = resourcesOfType(template, 'AWS::Scheduler::Schedule');
    const roleId =
      referencedLogicalId((schedule?.Properties?.Target as { RoleArn: unknown } | undefined)?.RoleArn) ?? '';
    expect(roleStatements(template, roleId)).toEqual([
      { Effect: 'Allow', Action: ['states:StartExecution'], Resource: [{ Ref: STATE_MACHINE }] },
    ]);
  });

  it('let only EventBridge Scheduler assume the schedule role, for this account and this schedule', () => {
    const [[, schedule] = []] = resourcesOfType(template, 'AWS::Scheduler::Schedule');
    const roleId =
      referencedLogicalId((schedule?.Properties?.Target as { RoleArn: unknown } | undefined)?.RoleArn) ?? '';
    const trust = resource(roleId).Properties?.AssumeRolePolicyDocument as { Statement: unknown[] };
    const name = String(schedule?.Properties?.Name);
    expect(name).toBe(`${String(resource(STATE_MACHINE).Properties?.StateMachineName)}-schedule`);
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: {
            'aws:SourceAccount': { Ref: 'AWS::AccountId' },
            'aws:SourceArn': {
              'Fn::Sub': `arn:\${AWS::Partition}:scheduler:\${AWS::Region}:\${AWS::AccountId}:schedule/default/${name}`,
            },
          },
        },
      },
    ]);
  });

  it('keep every log group when the stack is deleted or the group replaced', () => {
    const groups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    expect(groups.map(([id]) => id).sort()).toEqual(
      ['StateMachine', ...Object.values(FUNCTIONS).map((fn) => fn.id)].map((id) => `${id}LogGroup`).sort(),
    );
    for (const [id, group] of groups) {
      expect({ id, ...group }).toEqual(
        expect.objectContaining({ id, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }),
      );
    }
  });
});

const EVIDENCE_BUCKET = 'EvidenceBucket';
/** The default of the `evidenceRetentionDays` stage param. */
const DEFAULT_EVIDENCE_RETENTION_DAYS = 400;
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const evidenceObjects = (pattern: string) => ({ 'Fn::Sub': `\${${EVIDENCE_BUCKET}.Arn}/${pattern}` });
const GATEWAY_OBJECTS = evidenceObjects('executions/*/*/gateways/*.json');
const RETENTION_OBJECTS = evidenceObjects('executions/*/*/retention/*');
const COPY_OBJECTS = evidenceObjects('executions/*/*/copies/*.json');
const EVIDENCE_BUCKET_ARN = { 'Fn::GetAtt': [EVIDENCE_BUCKET, 'Arn'] };
const RESTORE_OBJECTS = evidenceObjects('executions/*/*/restore/*');
const EXECUTION_FILES = ['report.json', 'manifest.json', 'report.csv'].map((file) =>
  evidenceObjects(`executions/*/*/${file}`),
);

/** Each writer's S3 statements, exactly, and the KMS actions it needs when the bucket uses a KMS key. */
const EVIDENCE_WRITERS = {
  SummariseGateway: {
    s3: [
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [GATEWAY_OBJECTS] },
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [RETENTION_OBJECTS] },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [EVIDENCE_BUCKET_ARN] },
    ],
    kms: ['kms:Decrypt', 'kms:GenerateDataKey'],
  },
  ApplyRetention: {
    s3: [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [RETENTION_OBJECTS] },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [EVIDENCE_BUCKET_ARN] },
    ],
    kms: ['kms:Decrypt', 'kms:GenerateDataKey'],
  },
  CheckSnapshots: {
    s3: [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [GATEWAY_OBJECTS] },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [EVIDENCE_BUCKET_ARN] },
    ],
    kms: ['kms:Decrypt', 'kms:GenerateDataKey'],
  },
  Summarise: {
    s3: [
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [GATEWAY_OBJECTS] },
      // A missing gateway object must answer NoSuchKey, which S3 gives only to a caller that may list the bucket.
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [EVIDENCE_BUCKET_ARN] },
      // Copies (issue 13)
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [COPY_OBJECTS] },
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: EXECUTION_FILES },
    ],
    kms: ['kms:Decrypt', 'kms:GenerateDataKey'],
  },
  // Copies (issue 13): the destinations' books.
  CopyPlan: {
    s3: [
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [GATEWAY_OBJECTS] },
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [COPY_OBJECTS] },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [EVIDENCE_BUCKET_ARN] },
    ],
    kms: ['kms:Decrypt', 'kms:GenerateDataKey'],
  },
  CopyRound: {
    s3: [
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [COPY_OBJECTS] },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [EVIDENCE_BUCKET_ARN] },
    ],
    kms: ['kms:Decrypt', 'kms:GenerateDataKey'],
  },
  // Restore (issue 14): a restore's own report.
  RestoreSummarise: {
    s3: [
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [evidenceObjects('executions/*/*/report.json')] },
      // The plan and each batch's outcomes; a batch that recorded none must answer NoSuchKey.
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [RESTORE_OBJECTS] },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [EVIDENCE_BUCKET_ARN] },
    ],
    kms: ['kms:GenerateDataKey', 'kms:Decrypt'],
  },
  // Reads the manifest it is given (by URI), writes the whole plan and each batch's volumes.
  RestorePlan: {
    s3: [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [evidenceObjects('executions/*/*/manifest.json'), evidenceObjects('executions/*/*/report.json')],
      },
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [RESTORE_OBJECTS] },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [EVIDENCE_BUCKET_ARN] },
    ],
    kms: ['kms:Decrypt', 'kms:GenerateDataKey'],
  },
  RestoreRecordBatch: {
    s3: [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: [RESTORE_OBJECTS] }],
    kms: ['kms:GenerateDataKey'],
  },
} as const;

/** Restore (issue 14): the role that reads a batch's volumes by the URI its child execution is given (no EVIDENCE_BUCKET). */
const EVIDENCE_READERS = {
  RestoreLoadBatch: {
    s3: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [RESTORE_OBJECTS] }],
    kms: ['kms:Decrypt'],
  },
} as const;

/** The notifier, which reads manifests of the bucket its EVIDENCE_BUCKET names. */
const EVIDENCE_NOTIFIER = {
  Notify: {
    s3: [
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [evidenceObjects('executions/*/*/manifest.json')] },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [EVIDENCE_BUCKET_ARN] },
    ],
    kms: ['kms:Decrypt'],
  },
} as const;

/** The roles that read or write evidence. */
const EVIDENCE_ROLES = { ...EVIDENCE_WRITERS, ...EVIDENCE_READERS, ...EVIDENCE_NOTIFIER } as const;

// Copies (issue 13): a key used through EC2 (kms:ViaService) encrypts snapshot copies, not evidence.
const throughEc2 = (statement: IamStatement) =>
  JSON.stringify(statement.Condition ?? {}).includes('"kms:ViaService":"ec2.*.amazonaws.com"');
// Restore (issue 14): the preflight's kms:DescribeKey reads the snapshots' keys, not evidence (asserted on its own).
const describesKeysOnly = (statement: IamStatement) =>
  statement.Action.length === 1 && statement.Action[0] === 'kms:DescribeKey';
const statementsOn = (from: CfnTemplate, role: string, service: string) =>
  roleStatements(from, role).filter(
    (statement) =>
      statement.Action.some((action) => action.startsWith(service)) &&
      !throughEc2(statement) &&
      !describesKeysOnly(statement),
  );

describe('the idempotency table', () => {
  const properties = () => resource(IDEMPOTENCY_TABLE).Properties ?? {};

  it('is keyed as Powertools writes, on demand, its records expiring by TTL on the attribute Powertools sets', () => {
    expect(resource(IDEMPOTENCY_TABLE).Type).toBe('AWS::DynamoDB::Table');
    expect(properties()).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_EXPIRY_ATTRIBUTE, Enabled: true },
    });
    expect(properties().ProvisionedThroughput).toBeUndefined();
  });

  it('has point-in-time recovery and is retained when the stack is deleted or the table replaced', () => {
    expect(properties().PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(resource(IDEMPOTENCY_TABLE)).toEqual(
      expect.objectContaining({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }),
    );
  });

  it('is named in the create function’s and the copy rounds’ environments, and in no other function’s', () => {
    const withTable = Object.values(FUNCTIONS)
      .filter(({ id }) => {
        const variables = resource(`${id}LambdaFunction`).Properties?.Environment as
          | { Variables?: Record<string, unknown> }
          | undefined;
        return variables?.Variables?.[IDEMPOTENCY_TABLE_VARIABLE] !== undefined;
      })
      .map(({ id }) => id);
    // Copies (issue 13): the copy rounds mark their attempts in the same table.
    expect(withTable).toEqual(['CreateSnapshot', 'CopyRound']);
    const environment = resource('CreateSnapshotLambdaFunction').Properties?.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(referencedLogicalId(environment.Variables[IDEMPOTENCY_TABLE_VARIABLE])).toBe(IDEMPOTENCY_TABLE);
  });

  it('is written by the create role alone, with exactly the item actions Powertools calls, on this table only', () => {
    const onTable = iamStatements(template).filter(({ statement }) =>
      statement.Action.some((action) => action.startsWith('dynamodb:')),
    );
    expect(onTable.map(({ owner }) => owner)).toEqual(['CreateSnapshotRole', 'CopyRoundRole']);
    expect(onTable[0]?.statement.Action.sort()).toEqual([...IDEMPOTENCY_ACTIONS].sort());
    // Copies (issue 13): the copy rounds only put their attempt marks (`AttemptLedger`).
    expect(onTable[1]?.statement.Action).toEqual(['dynamodb:PutItem']);
    expect(onTable.flatMap(({ statement }) => statement.Resource)).toEqual([
      { 'Fn::GetAtt': [IDEMPOTENCY_TABLE, 'Arn'] },
      { 'Fn::GetAtt': [IDEMPOTENCY_TABLE, 'Arn'] },
    ]);
  });

  it('lets the CreateSnapshot Task wait for a concurrent create of the same point, and no other Task', () => {
    const waiting = lambdaTasks()
      .filter(({ state }) =>
        asArray(state.Retry as AslRetrier[]).some((r) => r.ErrorEquals.includes(IDEMPOTENCY_ALREADY_IN_PROGRESS)),
      )
      .map(({ name }) => name);
    expect(waiting).toEqual(['CreateSnapshot']);
  });
});

describe('the evidence bucket', () => {
  const bucket = () => resource(EVIDENCE_BUCKET);
  const properties = () => bucket().Properties ?? {};

  it('is versioned, retained with the stack gone or replaced, and owned by the account alone', () => {
    expect(bucket().Type).toBe('AWS::S3::Bucket');
    expect(bucket()).toEqual(expect.objectContaining({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }));
    expect(properties().VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(properties().OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(properties().PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('is encrypted with SSE-S3 unless a KMS key is named', () => {
    expect(properties().BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it('keeps evidence, and the versions it replaced, 400 days by default, then removes the delete markers', () => {
    const rules = (properties().LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(
      rules.every((rule) => rule.Status === 'Enabled' && rule.Prefix === undefined && rule.Filter === undefined),
    ).toBe(true);
    expect(rules).toEqual([
      expect.objectContaining({
        ExpirationInDays: DEFAULT_EVIDENCE_RETENTION_DAYS,
        NoncurrentVersionExpiration: { NoncurrentDays: DEFAULT_EVIDENCE_RETENTION_DAYS },
      }),
      expect.objectContaining({ ExpiredObjectDeleteMarker: true }),
    ]);
  });

  it('has no Object Lock by default', () => {
    expect(properties()).not.toHaveProperty('ObjectLockEnabled');
    expect(properties()).not.toHaveProperty('ObjectLockConfiguration');
  });

  it('refuses every request that does not come over TLS, and allows nothing', () => {
    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy').filter(
      ([, policy]) => referencedLogicalId(policy.Properties?.Bucket) === EVIDENCE_BUCKET,
    );
    expect(policies).toHaveLength(1);
    const document = policies[0]?.[1].Properties?.PolicyDocument as { Statement: Record<string, unknown>[] };
    expect(document.Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [{ 'Fn::GetAtt': [EVIDENCE_BUCKET, 'Arn'] }, { 'Fn::Sub': `\${${EVIDENCE_BUCKET}.Arn}/*` }],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('is exported as EvidenceBucketName', () => {
    const output = template.Outputs?.EvidenceBucketName;
    expect(output?.Value).toEqual({ Ref: EVIDENCE_BUCKET });
    expect(output?.Export?.Name).toEqual(expect.stringContaining('EvidenceBucketName'));
  });

  it.each(Object.entries(EVIDENCE_ROLES))('lets %s touch only its own evidence objects', (id, { s3 }) => {
    const granted = statementsOn(template, `${id}Role`, 's3:').map((statement) => ({
      ...statement,
      Action: [...statement.Action].sort(),
    }));
    expect(granted).toEqual(s3);
    expect(statementsOn(template, `${id}Role`, 'kms:')).toEqual([]);
  });

  it('names the bucket in EVIDENCE_BUCKET for the writers and the notifier only', () => {
    for (const [key, { id }] of Object.entries(FUNCTIONS)) {
      const variables =
        (resource(`${id}LambdaFunction`).Properties?.Environment as { Variables: Record<string, unknown> } | undefined)
          ?.Variables ?? {};
      const named = id in EVIDENCE_WRITERS || id in EVIDENCE_NOTIFIER;
      const expected = named ? { Ref: EVIDENCE_BUCKET } : undefined;
      expect({ key, bucket: variables.EVIDENCE_BUCKET }).toEqual({ key, bucket: expected });
    }
  });

  it('lets no other role touch S3 or KMS', () => {
    const others = iamStatements(template)
      .filter(({ owner }) => !Object.keys(EVIDENCE_ROLES).some((id) => owner === `${id}Role`))
      .filter(({ statement }) => !throughEc2(statement))
      .flatMap(({ owner, statement }) =>
        statement.Action.filter((action) => /^(s3|kms):/.test(action)).map((action) => `${owner}: ${action}`),
      );
    expect(others).toEqual([]);
  });
});

describe('the evidence bucket of a stage that names a KMS key and Object Lock', () => {
  let locked: PackagedService;
  let lockedTemplate: CfnTemplate;

  beforeAll(async () => {
    locked = await packageWithParams({
      evidenceKmsKeyArn: KMS_KEY_ARN,
      evidenceObjectLockMode: 'COMPLIANCE',
      evidenceObjectLockDays: '30',
      evidenceRetentionDays: '800',
      createSnapshotConcurrency: '25',
      gatewayStepConcurrency: '5',
      recycleBinRetentionDays: '14',
    });
    lockedTemplate = resolveConditions(locked.template);
  }, PACKAGE_TIMEOUT_MS);

  const properties = () => lockedTemplate.Resources[EVIDENCE_BUCKET]?.Properties ?? {};

  it('is created with Object Lock in the mode and for the days the params name', () => {
    expect(properties().ObjectLockEnabled).toBe(true);
    expect(properties().ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: expect.anything() } },
    });
    const { Days } = (properties().ObjectLockConfiguration as { Rule: { DefaultRetention: { Days: unknown } } }).Rule
      .DefaultRetention;
    expect(Number(Days)).toBe(30);
  });

  it('keeps evidence as long as the retention param says', () => {
    const [rule] = (properties().LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(Number(rule?.ExpirationInDays)).toBe(800);
    expect(rule?.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: expect.anything() });
    expect(Number((rule?.NoncurrentVersionExpiration as { NoncurrentDays: unknown } | undefined)?.NoncurrentDays)).toBe(
      800,
    );
  });

  it('is encrypted with the KMS key, one bucket key for all objects', () => {
    expect(properties().BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KMS_KEY_ARN },
          BucketKeyEnabled: true,
        },
      ],
    });
  });

  it.each(Object.entries(EVIDENCE_ROLES))('lets %s use that key for its own objects only', (id, { s3, kms }) => {
    expect(statementsOn(lockedTemplate, `${id}Role`, 'kms:')).toEqual([
      { Effect: 'Allow', Action: [...kms], Resource: [KMS_KEY_ARN] },
    ]);
    expect(statementsOn(lockedTemplate, `${id}Role`, 's3:').map((statement) => statement.Resource)).toEqual(
      s3.map((statement) => statement.Resource),
    );
  });

  it('caps the fan-out functions at the concurrency the params name', () => {
    const reservedOf = (id: string) =>
      Number(lockedTemplate.Resources[`${id}LambdaFunction`]?.Properties?.ReservedConcurrentExecutions);
    expect(reservedOf(FUNCTIONS.createSnapshot.id)).toBe(25);
    expect(reservedOf(FUNCTIONS.listRecoveryPoints.id)).toBe(5);
    expect(reservedOf(FUNCTIONS.summariseGateway.id)).toBe(5);
    expect(reservedOf(FUNCTIONS.applyRetention.id)).toBe(5);
  });

  it('keeps what retention deletes in the Recycle Bin for the days the param names, matched by the tag set before', () => {
    const rules = resourcesOfType(lockedTemplate, 'AWS::Rbin::Rule');
    expect(rules.map(([, rule]) => rule.Properties)).toEqual([
      expect.objectContaining({
        ResourceType: 'EBS_SNAPSHOT',
        ResourceTags: [{ ResourceTagKey: RETENTION_DELETE_TAG.Key, ResourceTagValue: RETENTION_DELETE_TAG.Value }],
        RetentionPeriod: { RetentionPeriodUnit: 'DAYS', RetentionPeriodValue: expect.anything() },
      }),
    ]);
    const period = rules[0]?.[1].Properties?.RetentionPeriod as { RetentionPeriodValue: unknown } | undefined;
    expect(Number(period?.RetentionPeriodValue)).toBe(14);
  });

  it('passes cfn-lint', async () => {
    const { exitCode, output } = await lintTemplate(locked.dir);
    expect({ exitCode, output }).toEqual({ exitCode: 0, output: '' });
  });
});

describe('the SSM Automation runbook', () => {
  it('is an Automation document of schema 0.3 that runs as its own role by default', () => {
    const properties = resource(RUNBOOK).Properties ?? {};
    expect(properties.DocumentType).toBe('Automation');
    const document = runbook();
    expect(document.schemaVersion).toBe('0.3');
    expect(document.assumeRole).toBe('{{ AutomationAssumeRole }}');
    expect(document.parameters.AutomationAssumeRole?.default).toEqual({ 'Fn::GetAtt': [RUNBOOK_ROLE, 'Arn'] });
  });

  it('declares the parameters an operator fills in', () => {
    const types = Object.fromEntries(Object.entries(runbook().parameters).map(([name, p]) => [name, p.type]));
    expect(types).toEqual({
      AutomationAssumeRole: 'String',
      GatewayArns: 'StringList',
      MinAgeMinutes: 'String',
      MaxAgeHours: 'String',
      DryRun: 'Boolean',
      WaitForCompletion: 'Boolean',
      ExecutionName: 'String',
    });
    expect(runbook().parameters.WaitForCompletion?.default).toBe(true);
    expect(runbook().parameters.GatewayArns?.default).toEqual([]);
  });

  it('has well-formed steps of known actions whose references all resolve', () => {
    const document = runbook();
    const stepNames = document.mainSteps.map((step) => step.name);
    expect(new Set(stepNames).size).toBe(stepNames.length);
    const known = new Set(Object.keys(document.parameters));
    for (const step of document.mainSteps) {
      expect({ step: step.name, action: AUTOMATION_ACTIONS.has(step.action) }).toEqual({
        step: step.name,
        action: true,
      });
      expect(isRecord(step.inputs)).toBe(true);
      for (const reference of ssmReferences(step.inputs)) {
        const resolves = known.has(reference) || reference.startsWith('automation:') || reference.startsWith('global:');
        expect({ step: step.name, reference, resolves }).toEqual({ step: step.name, reference, resolves: true });
      }
      for (const jump of [step.nextStep, step.onFailure?.replace(/^step:/, '')]) {
        if (jump !== undefined && jump !== 'Abort' && jump !== 'Continue') expect(stepNames).toContain(jump);
      }
      if (
        ['aws:executeAwsApi', 'aws:waitForAwsResourceProperty', 'aws:assertAwsResourceProperty'].includes(step.action)
      ) {
        expect(step.inputs).toEqual(expect.objectContaining({ Service: 'stepfunctions', Api: expect.any(String) }));
      }
      if (step.action !== 'aws:executeAwsApi' && step.action !== 'aws:executeScript') {
        expect(step.inputs).toEqual(expect.objectContaining({ PropertySelector: expect.any(String) }));
      }
      for (const output of step.outputs ?? []) known.add(`${step.name}.${output.Name}`);
    }
    for (const output of document.outputs) expect(known).toContain(output);
  });

  it('starts this state machine, waits for it, returns its report and fails unless it succeeded', () => {
    const steps = runbook().mainSteps;
    const start = steps.find((step) => step.inputs.Api === 'StartExecution');
    expect(start?.inputs.stateMachineArn).toEqual({ Ref: STATE_MACHINE });
    const wait = steps.find((step) => step.action === 'aws:waitForAwsResourceProperty');
    expect(wait?.inputs).toEqual(expect.objectContaining({ Api: 'DescribeExecution', PropertySelector: '$.status' }));
    expect(wait?.inputs.DesiredValues).not.toContain('RUNNING');
    expect(wait?.timeoutSeconds).toEqual(expect.any(Number));
    const last = steps.at(-1);
    expect(last?.action).toBe('aws:assertAwsResourceProperty');
    expect(last?.inputs.DesiredValues).toEqual(['SUCCEEDED']);
    expect(runbook().outputs).toEqual(expect.arrayContaining(['DescribeExecution.Report', 'DescribeExecution.Cause']));
  });

  it('builds an execution input the state machine accepts', async () => {
    const build = runbook().mainSteps[0];
    expect(build?.action).toBe('aws:executeScript');
    const script = String(build?.inputs.Script);
    const cases = [
      {
        gatewayArns: [],
        minAgeMinutes: '',
        maxAgeHours: '',
        dryRun: false,
        waitForCompletion: true,
        executionName: '',
        automationExecutionId: '11111111-2222-3333-4444-555555555555',
      },
      {
        gatewayArns: ['arn:aws:storagegateway:us-east-1:123456789012:gateway/sgw-12A3456B'],
        minAgeMinutes: '30',
        maxAgeHours: '1.5',
        dryRun: 'true',
        waitForCompletion: 'false',
        executionName: 'nightly',
        automationExecutionId: '11111111-2222-3333-4444-555555555555',
      },
    ];
    const driver = `${script}\nimport sys\nfor event in json.loads(sys.argv[1]):\n    print(json.dumps(${String(build?.inputs.Handler)}(event, None)))\n`;
    const { stdout } = await run('python3', ['-c', driver, JSON.stringify(cases)]);
    const [empty, full] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { input: string; name: string });

    expect(empty?.name).toBe('ssm-11111111-2222-3333-4444-555555555555');
    expect(ExecutionInputSchema.parse(JSON.parse(empty?.input ?? ''))).toEqual(
      expect.objectContaining({ dryRun: false, waitForCompletion: true }),
    );
    expect(JSON.parse(empty?.input ?? '')).not.toHaveProperty('gatewayArns');

    expect(full?.name).toBe('nightly');
    expect(ExecutionInputSchema.parse(JSON.parse(full?.input ?? ''))).toEqual(
      expect.objectContaining({
        gatewayArns: cases[1]?.gatewayArns,
        dryRun: true,
        waitForCompletion: false,
        policy: expect.objectContaining({ minAgeMinutes: 30, maxAgeHours: 1.5 }),
      }),
    );
  });

  it('runs as a role that may start this state machine and read its executions, nothing more', () => {
    const trust = resource(RUNBOOK_ROLE).Properties?.AssumeRolePolicyDocument as {
      Statement: { Principal: unknown }[];
    };
    expect(trust.Statement.map((statement) => statement.Principal)).toEqual([{ Service: 'ssm.amazonaws.com' }]);
    expect(roleStatements(template, RUNBOOK_ROLE)).toEqual([
      { Effect: 'Allow', Action: ['states:StartExecution'], Resource: [{ Ref: STATE_MACHINE }] },
      {
        Effect: 'Allow',
        Action: ['states:DescribeExecution'],
        Resource: [
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${SnapshotStateMachine.Name}:*',
          },
        ],
      },
    ]);
  });
});

describe('the packaged stack', () => {
  it('caps the fan-out functions with reserved concurrency, all of it within what an account has by default', () => {
    const reserved = Object.fromEntries(
      Object.entries(FUNCTIONS).map(([key, { id }]) => [
        key,
        resource(`${id}LambdaFunction`).Properties?.ReservedConcurrentExecutions,
      ]),
    );
    expect(reserved).toEqual({
      plan: undefined,
      listRecoveryPoints: DEFAULT_GATEWAY_STEP_CONCURRENCY,
      createSnapshot: DEFAULT_CREATE_SNAPSHOT_CONCURRENCY,
      checkSnapshots: undefined,
      summariseGateway: DEFAULT_GATEWAY_STEP_CONCURRENCY,
      summarise: undefined,
      notify: undefined,
      applyRetention: DEFAULT_GATEWAY_STEP_CONCURRENCY,
    });
    const total = Object.values(reserved).reduce((sum: number, value) => sum + Number(value ?? 0), 0);
    expect(total).toBeLessThanOrEqual(ACCOUNT_CONCURRENCY - UNRESERVED_CONCURRENCY);
  });

  it('exports the state machine ARN and name and the runbook name', () => {
    const outputs = template.Outputs ?? {};
    expect(outputs.StateMachineArn?.Value).toEqual({ Ref: STATE_MACHINE });
    expect(outputs.StateMachineName?.Value).toEqual({ 'Fn::GetAtt': [STATE_MACHINE, 'Name'] });
    expect(outputs.RunbookName?.Value).toEqual({ Ref: RUNBOOK });
    for (const name of ['StateMachineArn', 'StateMachineName', 'RunbookName']) {
      expect(outputs[name]?.Export?.Name).toEqual(expect.stringContaining(name));
    }
  });

  it.each(Object.entries(FUNCTIONS))('ships %s as a zip of its own holding one .mjs bundle', async (key, { id }) => {
    const properties = resource(`${id}LambdaFunction`).Properties ?? {};
    expect(properties.Runtime).toBe('nodejs24.x');
    expect(properties.Architectures).toEqual(['arm64']);
    const zip = path.join(service.dir, path.basename(String((properties.Code as { S3Key: string }).S3Key)));
    expect(path.basename(zip)).toBe(`${key}.zip`);
    expect(existsSync(zip)).toBe(true);
    const handlerFile = `${String(properties.Handler).replace(/\.[^.]+$/, '')}.mjs`;
    expect((await listZip(zip)).map((entry) => entry.name)).toEqual([handlerFile]);
  });

  it('passes cfn-lint', async () => {
    const { exitCode, output } = await lintTemplate(service.dir);
    expect({ exitCode, output }).toEqual({ exitCode: 0, output: '' });
  });
});

/** The metric names the functions publish (EMF) in the stack's namespace. */
const PUBLISHED_METRICS = [
  ...Object.values(EXECUTION_METRICS),
  ...SKIP_REASONS.map(skippedMetricName),
  ...Object.values(API_METRICS),
];

describe('monitoring', () => {
  const alarm = (id: string) => resource(id).Properties ?? {};
  const environmentOf = (id: string) =>
    (resource(`${id}LambdaFunction`).Properties?.Environment as { Variables: Record<string, unknown> } | undefined)
      ?.Variables ?? {};
  const namespace = () => environmentOf(FUNCTIONS.summarise.id).POWERTOOLS_METRICS_NAMESPACE;
  const SERVICE_DIMENSION = [{ Name: 'service', Value: 'sgw-recovery-snapshots' }];

  it("gives every function one metrics namespace, the stack's, and the RPO target the code defaults to", () => {
    expect(namespace()).toBe(`sgw-recovery-snapshots-${PACKAGE_STAGE}`);
    for (const { id } of Object.values(FUNCTIONS)) {
      expect({ id, namespace: environmentOf(id).POWERTOOLS_METRICS_NAMESPACE }).toEqual({ id, namespace: namespace() });
      expect(Number(environmentOf(id)[RPO_TARGET_VARIABLE])).toBe(DEFAULT_RPO_TARGET_HOURS);
    }
  });

  it('alarms when no execution succeeded within the window: every hour without a success breaches, a missing one too', () => {
    const properties = alarm('NoSuccessfulExecutionAlarm');
    expect(properties).toEqual(
      expect.objectContaining({
        Namespace: namespace(),
        MetricName: EXECUTION_METRICS.succeeded,
        Dimensions: SERVICE_DIMENSION,
        Statistic: 'Sum',
        Period: 3600,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        // A disabled schedule publishes nothing: missing data must be a breach, or the alarm would stay quiet.
        TreatMissingData: 'breaching',
      }),
    );
    // The default window: a day of hourly periods, all of which must breach.
    expect(Number(properties.EvaluationPeriods)).toBe(24);
    expect(Number(properties.DatapointsToAlarm)).toBe(Number(properties.EvaluationPeriods));
    expect(asArray(properties.OKActions as unknown[]).map(referencedLogicalId)).toEqual(['AlarmTopic']);
    // Its actions follow the schedule: off in a stage whose schedule is off (this one), on where it runs.
    const [[, schedule] = []] = resourcesOfType(template, 'AWS::Scheduler::Schedule');
    expect(properties.ActionsEnabled).toBe(schedule?.Properties?.State === 'ENABLED');
  });

  it('alarms when retention could not delete what its policy let go, straight to the topic', () => {
    const properties = alarm('SnapshotsNotRemovedAlarm');
    expect(properties).toEqual(
      expect.objectContaining({
        Namespace: namespace(),
        MetricName: EXECUTION_METRICS.notRemoved,
        Dimensions: SERVICE_DIMENSION,
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    expect(asArray(properties.AlarmActions as unknown[]).map(referencedLogicalId)).toEqual(['AlarmTopic']);
  });

  it('alarms on stale volumes above zero, and sends that alarm through the notifier, which names the volumes', () => {
    expect(alarm(STALE_VOLUMES_ALARM)).toEqual(
      expect.objectContaining({
        Namespace: namespace(),
        MetricName: EXECUTION_METRICS.stale,
        Dimensions: SERVICE_DIMENSION,
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    expect(alarm(STALE_VOLUMES_ALARM).AlarmActions).toBeUndefined();
    const rule = resource('StaleVolumesRule').Properties ?? {};
    expect(rule.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: [{ 'Fn::GetAtt': [STALE_VOLUMES_ALARM, 'Arn'] }],
      detail: { state: { value: ['ALARM'] } },
    });
    expect(asArray(rule.Targets as { Arn: unknown }[]).map((target) => referencedLogicalId(target.Arn))).toEqual([
      NOTIFY_FUNCTION,
    ]);
  });

  it('lets each of the two rules, and only they, invoke the notifier', () => {
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission')
      .filter(([, p]) => referencedLogicalId(p.Properties?.FunctionName) === NOTIFY_FUNCTION)
      .map(([, p]) => ({
        principal: p.Properties?.Principal,
        action: p.Properties?.Action,
        source: referencedLogicalId(p.Properties?.SourceArn),
      }));
    expect(permissions.sort((a, b) => String(a.source).localeCompare(String(b.source)))).toEqual([
      { principal: 'events.amazonaws.com', action: 'lambda:InvokeFunction', source: 'ExecutionEndedRule' },
      { principal: 'events.amazonaws.com', action: 'lambda:InvokeFunction', source: 'StaleVolumesRule' },
    ]);
  });

  it('announces succeeded executions too when a stage asks for drill notices', () => {
    const drills = resolveConditions(service.template, { NotifySucceeded: 'true' });
    expect(
      (drills.Resources.ExecutionEndedRule?.Properties?.EventPattern as { detail: { status: string[] } } | undefined)
        ?.detail.status,
    ).toEqual(['ABORTED', 'FAILED', 'TIMED_OUT', 'SUCCEEDED']);
  });

  it('gives the notifier the topic, the state machine and the bucket, and a role scoped to each', () => {
    const variables = environmentOf(FUNCTIONS.notify.id);
    expect(variables[NOTIFIER_VARIABLES.topicArn]).toEqual({ Ref: 'AlarmTopic' });
    expect(variables[NOTIFIER_VARIABLES.stateMachineArn]).toEqual({ Ref: STATE_MACHINE });
    const resourcesOf = (action: string) =>
      roleStatements(template, 'NotifyRole')
        .filter((statement) => statement.Action.includes(action))
        .flatMap((statement) => statement.Resource);
    expect(resourcesOf('sns:Publish')).toEqual([{ Ref: 'AlarmTopic' }]);
    expect(resourcesOf('states:ListExecutions')).toEqual([{ Ref: STATE_MACHINE }]);
  });

  it("alarms on the age of the gateways' own recovery points, one Metrics Insights query, past the RPO target", () => {
    const properties = alarm('RecoveryPointAgeAlarm');
    const [query] = asArray(properties.Metrics as { Expression: string; Period: number; ReturnData: boolean }[]);
    expect(query?.Expression).toMatch(/^SELECT MAX\(TimeSinceLastRecoveryPoint\) FROM SCHEMA\("AWS\/StorageGateway", /);
    expect(query?.ReturnData).toBe(true);
    // Storage Gateway publishes every five minutes; Metrics Insights alarms look back three hours at most.
    expect(query?.Period).toBe(300);
    expect(Number(properties.EvaluationPeriods) * (query?.Period ?? 0)).toBeLessThanOrEqual(3 * 3600);
    expect(Number(properties.Threshold)).toBe(DEFAULT_RPO_TARGET_HOURS * 3600);
    expect(properties.ComparisonOperator).toBe('GreaterThanThreshold');
  });

  it('alarms when the notifier itself fails, straight to the topic', () => {
    expect(alarm('NotifierErrorsAlarm')).toEqual(
      expect.objectContaining({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: NOTIFY_FUNCTION } }],
        AlarmActions: [{ Ref: 'AlarmTopic' }],
      }),
    );
  });

  it('has a dashboard of executions, stale volumes, RPO, retries and throttles, Lambda errors and durations', () => {
    const body =
      (resource('Dashboard').Properties?.DashboardBody as { 'Fn::Sub': string } | undefined)?.['Fn::Sub'] ?? '';
    // Every ${…} is a reference Fn::Sub resolves: to a resource of this template or a pseudo parameter.
    const references = [...body.matchAll(/\$\{([^}]+)\}/g)].map((match) => match[1] ?? '');
    for (const reference of references) {
      expect({ reference, known: reference.startsWith('AWS::') || reference in template.Resources }).toEqual({
        reference,
        known: true,
      });
    }
    const dashboard = JSON.parse(body.replace(/\$\{[^}]+\}/g, 'x')) as {
      widgets: { properties: { title: string; metrics: unknown[][] } }[];
    };
    const titles = dashboard.widgets.map((widget) => widget.properties.title);
    for (const topic of [/^Executions/, /^Stale volumes/, /RPO/, /retried.*throttles/, /^Lambda errors/, /durations/]) {
      expect(titles).toEqual(expect.arrayContaining([expect.stringMatching(topic)]));
    }
    // Every metric of ours it draws is one the functions publish.
    const ours = dashboard.widgets.flatMap((widget) => {
      let current = '';
      return widget.properties.metrics.flatMap((row) => {
        if (row[0] !== '.' && row[0] !== '...' && typeof row[0] === 'string') current = row[0];
        return current === namespace() && typeof row[1] === 'string' ? [row[1]] : [];
      });
    });
    expect(ours.length).toBeGreaterThan(0);
    expect(PUBLISHED_METRICS).toEqual(expect.arrayContaining(ours));
    expect(ours).toEqual(
      expect.arrayContaining([EXECUTION_METRICS.stale, EXECUTION_METRICS.worstRpo, API_METRICS.throttled]),
    );
    // Every function's errors are on it.
    const functions = references.filter((reference) => reference.endsWith('LambdaFunction'));
    expect(new Set(functions)).toEqual(new Set(Object.values(FUNCTIONS).map(({ id }) => `${id}LambdaFunction`)));
  });
});

// Restore (issue 14): what the restore may create, and the only volumes it may delete.
describe('the restore state machine and its roles', () => {
  const conditionsOf = (role: string, action: string) =>
    roleStatements(template, role)
      .filter((statement) => statement.Action.includes(action))
      .map((statement) => statement.Condition);

  it('deletes only volumes carrying the restore-test tag, Storage Gateway and EBS alike', () => {
    const testTag = { StringEquals: { [`aws:ResourceTag/${RESTORE_TAG.test}`]: RESTORE_TEST_TAG_VALUE } };
    expect(conditionsOf('RestoreCleanupRole', 'storagegateway:DeleteVolume')).toEqual([testTag]);
    expect(conditionsOf('RestoreCleanupRole', 'ec2:DeleteVolume')).toEqual([testTag]);
    const deleters = iamStatements(template)
      .filter(({ statement }) => statement.Action.some((action) => /:DeleteVolume$/.test(action)))
      .map(({ owner }) => owner);
    expect([...new Set(deleters)]).toEqual(['RestoreCleanupRole']);
  });

  it("creates volumes only with this tool's restore tags, EBS volumes only from snapshots it made", () => {
    const requestTags = {
      Null: {
        [`aws:RequestTag/${RESTORE_TAG.execution}`]: 'false',
        [`aws:RequestTag/${RESTORE_TAG.sourceVolume}`]: 'false',
      },
    };
    expect(conditionsOf('RestoreCreateRole', 'storagegateway:CreateCachediSCSIVolume')).toEqual([requestTags]);
    expect(conditionsOf('RestoreCreateRole', 'ec2:CreateVolume')).toEqual([
      requestTags,
      { Null: { [`aws:ResourceTag/${SNAPSHOT_TAG.volumeArn}`]: 'false' } },
    ]);
    expect(conditionsOf('RestoreCreateRole', 'ec2:CreateTags')).toEqual([
      { StringEquals: { 'ec2:CreateAction': 'CreateVolume' } },
    ]);
  });

  it("lets the restore only describe KMS keys, those of the stack's Region, in its preflight", () => {
    const describers = iamStatements(template)
      .filter(
        ({ owner, statement }) => owner.startsWith('Restore') && statement.Action.some((a) => a.startsWith('kms:')),
      )
      .map(({ owner, statement }) => [owner, statement.Action, statement.Resource]);
    expect(describers).toEqual([
      ['RestorePlanRole', ['kms:DescribeKey'], [{ 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:*:key/*' }]],
    ]);
  });

  it('lets the restore state machine invoke exactly the functions its Tasks call', () => {
    const machine = resource('RestoreStateMachine');
    expect(referencedLogicalId(machine.Properties?.RoleArn)).toBe('RestoreStateMachineRole');
    const { definition, substitutions } = stateMachineDefinition(machine);
    const called = [...allStates(definition.States)]
      .filter(([, state]) => state.Type === 'Task')
      .map(([, state]) => referencedLogicalId(substitutions[/^\$\{(.+)\}$/.exec(String(state.Resource))?.[1] ?? '']))
      .sort();
    const invoked = roleStatements(template, 'RestoreStateMachineRole')
      .filter((statement) => statement.Action.includes('lambda:InvokeFunction'))
      .flatMap((statement) => statement.Resource.map(referencedLogicalId))
      .sort();
    expect(invoked).toEqual([...new Set(called)]);
    expect(invoked).toHaveLength(7);
  });
});
