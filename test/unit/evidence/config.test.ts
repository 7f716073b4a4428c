import { EVIDENCE_BUCKET_UNSET, EvidenceBucketUnsetError, SgwSnapshotError } from '../../../src/errors.ts';
import {
  EVIDENCE_BUCKET_VARIABLE,
  evidenceBucketFromEnvironment,
  readEvidenceConfig,
} from '../../../src/evidence/config.ts';

describe('readEvidenceConfig', () => {
  it('reads the bucket from EVIDENCE_BUCKET', () => {
    expect(EVIDENCE_BUCKET_VARIABLE).toBe('EVIDENCE_BUCKET');
    expect(readEvidenceConfig({ EVIDENCE_BUCKET: 'sgw-evidence-1' })).toEqual({ bucket: 'sgw-evidence-1' });
  });

  it.each([{}, { EVIDENCE_BUCKET: '' }, { EVIDENCE_BUCKET: '  ' }])('fails by name when it is unset: %j', (env) => {
    const act = () => readEvidenceConfig(env);
    expect(act).toThrow(EvidenceBucketUnsetError);
    let thrown: unknown;
    try {
      act();
    } catch (error) {
      thrown = error;
    }
    expect(thrown instanceof SgwSnapshotError).toBe(true);
    expect(act).toThrow(expect.objectContaining({ name: EVIDENCE_BUCKET_UNSET }));
  });
});

describe('evidenceBucketFromEnvironment', () => {
  it('fails the first call, not the import, when the bucket is unset, and reads a set bucket once', () => {
    // Prepare
    const env: NodeJS.ProcessEnv = { [EVIDENCE_BUCKET_VARIABLE]: 'evidence' };
    const unset = evidenceBucketFromEnvironment({});
    const bucket = evidenceBucketFromEnvironment(env);

    // Act
    const first = bucket();
    env[EVIDENCE_BUCKET_VARIABLE] = 'changed';

    // Assess
    expect(unset).toThrow(EvidenceBucketUnsetError);
    expect(first).toBe('evidence');
    expect(bucket()).toBe('evidence');
  });
});
