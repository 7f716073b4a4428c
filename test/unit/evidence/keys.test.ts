import {
  EXECUTIONS_PREFIX,
  executionEvidence,
  executionPrefix,
  executionRefFromArn,
} from '../../../src/evidence/keys.ts';
import { toS3Uri } from '../../../src/evidence/location.ts';

const EXECUTION = { stateMachineName: 'sgw-recovery-snapshots-prod', executionName: 'ssm-1a2b_3c' };

describe('executionPrefix', () => {
  it('puts each execution under executions/<state machine>/<execution>/', () => {
    expect(executionPrefix(EXECUTION)).toBe('executions/sgw-recovery-snapshots-prod/ssm-1a2b_3c/');
    expect(executionPrefix(EXECUTION).startsWith(EXECUTIONS_PREFIX)).toBe(true);
  });

  it('keeps names Step Functions allows, non-ASCII ones included, as they are', () => {
    expect(executionPrefix({ stateMachineName: 'sm', executionName: 'drill.2025(été)+1' })).toBe(
      'executions/sm/drill.2025(été)+1/',
    );
  });

  it.each([
    ['an ARN', { stateMachineName: 'arn:aws:states:us-east-1:111122223333:stateMachine:sm/x', executionName: 'e' }],
    ['an empty execution name', { stateMachineName: 'sm', executionName: '' }],
    ['a dot-dot segment', { stateMachineName: '..', executionName: 'e' }],
    ['a backslash', { stateMachineName: 'sm', executionName: 'a\\b' }],
    ['a control character', { stateMachineName: 'sm', executionName: 'a\nb' }],
  ])('refuses %s', (_, execution) => {
    expect(() => executionPrefix(execution)).toThrow(RangeError);
  });
});

describe('executionEvidence', () => {
  const evidence = executionEvidence('evidence-bucket', EXECUTION);

  it('names the three execution files and one object per gateway under the prefix', () => {
    const prefix = 'executions/sgw-recovery-snapshots-prod/ssm-1a2b_3c/';
    expect(evidence.prefix).toBe(prefix);
    expect(evidence.report).toEqual({ bucket: 'evidence-bucket', key: `${prefix}report.json` });
    expect(evidence.manifest).toEqual({ bucket: 'evidence-bucket', key: `${prefix}manifest.json` });
    expect(evidence.csv).toEqual({ bucket: 'evidence-bucket', key: `${prefix}report.csv` });
    expect(evidence.gateway('sgw-12A3456B')).toEqual({
      bucket: 'evidence-bucket',
      key: `${prefix}gateways/sgw-12A3456B.json`,
    });
  });

  it.each(['', 'sgw-', '../sgw-1', 'sgw-1/2', 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-1'])(
    'refuses %j as a gateway ID',
    (gatewayId) => {
      expect(() => evidence.gateway(gatewayId)).toThrow(RangeError);
    },
  );

  it('renders a location as an s3:// URI', () => {
    expect(toS3Uri(evidence.report)).toBe(
      's3://evidence-bucket/executions/sgw-recovery-snapshots-prod/ssm-1a2b_3c/report.json',
    );
  });
});

describe('executionRefFromArn', () => {
  it('reads the state machine and execution names of an execution ARN', () => {
    expect(
      executionRefFromArn('arn:aws:states:eu-west-1:111122223333:execution:sgw-recovery-snapshots-prod:nightly-1'),
    ).toEqual({ stateMachineName: 'sgw-recovery-snapshots-prod', executionName: 'nightly-1' });
    expect(executionRefFromArn('arn:aws-us-gov:states:us-gov-west-1:111122223333:execution:sm:e')).toEqual({
      stateMachineName: 'sm',
      executionName: 'e',
    });
  });

  it.each([
    'arn:aws:states:us-east-1:111122223333:execution:sm/map-run:0123',
    'arn:aws:states:us-east-1:111122223333:stateMachine:sm',
    'arn:aws:states:us-east-1:111122223333:execution:sm:',
    'nightly-1',
  ])('answers undefined for %s', (arn) => {
    expect(executionRefFromArn(arn)).toBeUndefined();
  });
});
