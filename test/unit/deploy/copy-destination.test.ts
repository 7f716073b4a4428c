import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { COPY_TAG } from '../../../src/copies/tags.ts';
import { RETENTION_DELETE_TAG } from '../../../src/snapshot/tags.ts';
import { type CfnTemplate, lintTemplateFile } from '../../helpers/package.ts';
import { roleStatements } from '../../helpers/package-template.ts';

const TEMPLATE_PATH = fileURLToPath(new URL('../../../deploy/copy-destination.json', import.meta.url));
const SNAPSHOTS = { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*::snapshot/*' };

describe("copies' destination stack (issue 13): the copy role of a destination account", () => {
  let template: CfnTemplate;
  beforeAll(async () => {
    template = JSON.parse(await readFile(TEMPLATE_PATH, 'utf8')) as CfnTemplate;
  });

  const role = () => template.Resources.CopyRole?.Properties ?? {};
  const statementsOf = (action: string) =>
    roleStatements(template, 'CopyRole').filter((s) => s.Action.includes(action));

  it("is named after the source stack and trusts only the source stack's copy function role", () => {
    expect(role().RoleName).toEqual({ 'Fn::Sub': '${StateMachineName}-copy' });
    expect(role().AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: {
            AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${SourceAccountId}:role/${StateMachineName}-copy-round' },
          },
          Action: 'sts:AssumeRole',
        },
      ],
    });
  });

  it('copies only snapshots the source account owns, into copies carrying our copy tag, tagged only at birth', () => {
    const granted = roleStatements(template, 'CopyRole').flatMap((s) => s.Action);
    expect(new Set(granted)).toEqual(
      new Set([
        'ec2:DescribeSnapshots',
        'ec2:CopySnapshot',
        'ec2:CreateTags',
        'ec2:DeleteSnapshot',
        'kms:DescribeKey',
        'kms:CreateGrant',
        'kms:Decrypt',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
      ]),
    );
    expect(statementsOf('ec2:CopySnapshot').map((s) => [s.Resource, s.Condition])).toEqual([
      [[SNAPSHOTS], { StringEquals: { 'ec2:Owner': { Ref: 'SourceAccountId' } } }],
      [
        [SNAPSHOTS],
        {
          StringLike: {
            [`aws:RequestTag/${COPY_TAG.volumeArn}`]: {
              'Fn::Sub': 'arn:${AWS::Partition}:storagegateway:*:${SourceAccountId}:gateway/*/volume/*',
            },
          },
        },
      ],
    ]);
    const ourCopies = {
      [`aws:ResourceTag/${COPY_TAG.volumeArn}`]: {
        'Fn::Sub': 'arn:${AWS::Partition}:storagegateway:*:${SourceAccountId}:gateway/*/volume/*',
      },
    };
    expect(statementsOf('ec2:CreateTags').map((s) => s.Condition)).toEqual([
      { StringEquals: { 'ec2:CreateAction': 'CopySnapshot' } },
      // Retention of the copies here: the one Recycle Bin tag, then the delete, on our copies only.
      { 'ForAllValues:StringEquals': { 'aws:TagKeys': [RETENTION_DELETE_TAG.Key] }, StringLike: ourCopies },
    ]);
    expect(statementsOf('ec2:DeleteSnapshot').map((s) => s.Condition)).toEqual([{ StringLike: ourCopies }]);
    expect(statementsOf('ec2:DescribeSnapshots').map((s) => s.Resource)).toEqual([['*']]);
  });

  it('uses keys of the source account and its own only through EC2', () => {
    expect(statementsOf('kms:CreateGrant').map((s) => [s.Resource, s.Condition])).toEqual([
      [
        [
          { 'Fn::Sub': 'arn:${AWS::Partition}:kms:*:${SourceAccountId}:key/*' },
          { 'Fn::Sub': 'arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*' },
        ],
        { StringLike: { 'kms:ViaService': 'ec2.*.amazonaws.com' } },
      ],
    ]);
  });

  it('passes cfn-lint', async () => {
    const { exitCode, output } = await lintTemplateFile(TEMPLATE_PATH);
    expect({ exitCode, output }).toEqual({ exitCode: 0, output: '' });
  }, 60_000);
});
