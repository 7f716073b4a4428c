import { SgwSnapshotError } from '../../../src/errors.ts';
import {
  EVIDENCE_BUCKET_UNSET,
  EVIDENCE_BUCKET_VARIABLE,
  EvidenceBucketUnsetError,
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
