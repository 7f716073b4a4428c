import {
  digestOfExecution,
  executionNotice,
  NOTICE_LIST_LENGTH,
  staleVolumesNotice,
} from '../../../src/monitoring/notification.ts';
import { rpoOf } from '../../../src/monitoring/rpo.ts';
import type { ManifestGateway } from '../../../src/report/gateway-report.ts';
import { GATEWAY_ARN, NOW, volumeArn } from '../../helpers/fixtures.ts';

const ENDED = {
  executionArn: 'arn:aws:states:us-east-1:111122223333:execution:sgw:run',
  stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:sgw',
  name: 'run',
  status: 'ABORTED',
};

describe('notices', () => {
  it('keep the subject SNS takes: printable ASCII, under 100 characters, whatever the names', () => {
    const { subject } = executionNotice({ ...ENDED, name: `drill-é-${'x'.repeat(120)}` }, undefined, {
      region: 'us-east-1',
      stack: 'sgw-recovery-snapshots-prod',
    });
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7E]+\.\.\.$/);
  });

  it('list the first stale volumes and count the rest', () => {
    const manifest: ManifestGateway[] = [
      {
        gatewayArn: GATEWAY_ARN,
        volumes: Array.from({ length: NOTICE_LIST_LENGTH + 5 }, (_, i) => ({
          volumeArn: volumeArn(`vol-${i}`),
          snapshotId: null,
        })),
      },
    ];
    const { message } = staleVolumesNotice({ alarmName: 'a', state: { value: 'ALARM' } }, undefined, {
      region: 'us-east-1',
      stack: 's',
      rpo: rpoOf(manifest, NOW, 24),
    });
    expect(message.split('\n').filter((line) => line.endsWith(': no snapshot'))).toHaveLength(NOTICE_LIST_LENGTH);
    expect(message).toContain('… and 5 more (manifest.json lists every volume).');
    expect(message).toContain('No ended execution was found to name the volumes.');
  });

  it('find no digest in a cause or output that is not one', () => {
    expect(digestOfExecution({ ...ENDED, status: 'FAILED', cause: 'Lambda timed out' })).toBeUndefined();
    expect(digestOfExecution({ ...ENDED, status: 'FAILED', cause: '{"summary":1}' })).toBeUndefined();
    expect(digestOfExecution({ ...ENDED, status: 'SUCCEEDED', output: '{"ok":true}' })).toBeUndefined();
  });
});
