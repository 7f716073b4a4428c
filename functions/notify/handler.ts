import { SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { EventBridgeEvent } from 'aws-lambda';
import { createS3Client } from '../../src/aws/clients.ts';
import { type EvidenceDependencies, evidenceBucketFromEnvironment } from '../../src/evidence/config.ts';
import { createEvidenceStore } from '../../src/evidence/store.ts';
import { logger, stepHandler } from '../../src/lambda/handler.ts';
import {
  type NotifierConfig,
  notifierConfigFromEnvironment,
  rpoTargetFromEnvironment,
} from '../../src/monitoring/config.ts';
import { readManifestEvidence } from '../../src/monitoring/manifest-evidence.ts';
import { newestEndedExecution } from '../../src/monitoring/newest-execution.ts';
import {
  type AlarmChanged,
  digestOfExecution,
  type ExecutionEnded,
  executionNotice,
  type Notice,
  type NoticeContext,
  staleVolumesNotice,
} from '../../src/monitoring/notification.ts';
import { rpoOf } from '../../src/monitoring/rpo.ts';

/** The two events the notifier's rules send it. */
export type NotifyEvent =
  | EventBridgeEvent<'Step Functions Execution Status Change', ExecutionEnded>
  | EventBridgeEvent<'CloudWatch Alarm State Change', AlarmChanged>;

export interface NotifyDependencies extends EvidenceDependencies {
  sns: SNSClient;
  sfn: SFNClient;
  config: () => NotifierConfig;
  rpoTargetHours: () => number;
  now: () => number;
}

/**
 * Turns an ended execution, or the stale-volume alarm, into a short text a person can read (what happened, which
 * gateways and volumes, the RPO now, console links, where the evidence is) and publishes it to the alarm topic.
 */
export function createNotifyHandler({
  sns,
  sfn,
  config,
  rpoTargetHours,
  now,
  evidence,
  evidenceBucket,
}: NotifyDependencies) {
  const contextOf = async (executionArn: string, stack: string, region: string): Promise<NoticeContext> => {
    const read = await readManifestEvidence(evidence, evidenceBucket(), executionArn);
    return {
      region,
      stack,
      evidence: read.evidence,
      ...(read.manifest ? { rpo: rpoOf(read.manifest, now(), rpoTargetHours()) } : {}),
    };
  };
  return stepHandler(async (event: NotifyEvent): Promise<Notice> => {
    const { topicArn, stateMachineArn } = config();
    const stack = stateMachineArn.slice(stateMachineArn.lastIndexOf(':') + 1);
    let notice: Notice;
    if (event['detail-type'] === 'CloudWatch Alarm State Change') {
      const newest = await newestEndedExecution(sfn, stateMachineArn);
      const context = newest
        ? await contextOf(newest.executionArn, stack, event.region)
        : { region: event.region, stack };
      notice = staleVolumesNotice(event.detail, newest, context);
    } else {
      const ended = event.detail;
      notice = executionNotice(
        ended,
        digestOfExecution(ended),
        await contextOf(ended.executionArn, stack, event.region),
      );
    }
    await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: notice.subject, Message: notice.message }));
    logger.info('Notice published', { subject: notice.subject });
    return notice;
  });
}

export const handler = createNotifyHandler({
  sns: new SNSClient({}),
  sfn: new SFNClient({}),
  config: notifierConfigFromEnvironment(),
  rpoTargetHours: rpoTargetFromEnvironment(),
  now: Date.now,
  evidence: createEvidenceStore({ s3: createS3Client() }),
  evidenceBucket: evidenceBucketFromEnvironment(),
});
