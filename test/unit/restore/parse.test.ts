import { INVALID_EVIDENCE, INVALID_INPUT } from '../../../src/errors.ts';
import { checkRestoreHistory, restoreHistoryEvents } from '../../../src/restore/limits.ts';
import { parseManifestDocument, parseRestoreInput } from '../../../src/restore/parse.ts';
import { cachedVolumePhase, ebsVolumePhase, rtoMsOf, waitTimedOut } from '../../../src/restore/volume-status.ts';
import { GATEWAY_TARGET, MANIFEST } from './fixtures.ts';

describe('parseRestoreInput', () => {
  it('applies the defaults to a valid input', () => {
    expect(parseRestoreInput({ manifestUri: 's3://b/m.json', target: GATEWAY_TARGET })).toMatchObject({
      test: false,
      check: false,
      checkIntervalSeconds: 60,
      waitTimeoutMinutes: 60,
      maxConcurrency: 10,
    });
  });

  it.each([
    [{ target: GATEWAY_TARGET }, 'manifestUri'],
    [{ manifest: MANIFEST, manifestUri: 's3://b/m.json', target: GATEWAY_TARGET }, 'manifestUri'],
    [
      {
        manifestUri: 's3://b/m.json',
        target: { gateway: { gatewayArn: GATEWAY_TARGET.gateway.gatewayArn, networkInterfaceId: 'eni-1' } },
      },
      'target.gateway.networkInterfaceId',
    ],
    [
      { manifestUri: 's3://b/m.json', target: { ebs: { availabilityZone: 'use1-az1' } } },
      'target.ebs.availabilityZone',
    ],
    [{ manifestUri: 'https://b/m.json', target: GATEWAY_TARGET }, 'manifestUri'],
    [{ manifestUri: 's3://b/m.json', target: GATEWAY_TARGET, tset: true }, 'tset'],
  ])('refuses %j naming %s', (input, field) => {
    expect(() => parseRestoreInput(input)).toThrow(expect.objectContaining({ name: INVALID_INPUT, field }));
  });
});

describe('parseManifestDocument', () => {
  it('reads the manifest of a manifest.json, and refuses an object without one', () => {
    expect(parseManifestDocument({ execution: {}, manifest: MANIFEST }, 's3://b/m.json')).toHaveLength(2);
    expect(() => parseManifestDocument({ snapshots: [] }, 's3://b/x.json')).toThrow(
      expect.objectContaining({
        name: INVALID_EVIDENCE,
        message: expect.stringContaining('s3://b/x.json holds no manifest'),
      }),
    );
  });
});

describe('the wait for a restored volume', () => {
  it('reads cached statuses as the docs tell them, stored-only ones as unusable', () => {
    expect(
      ['CREATING', 'BOOTSTRAPPING', 'PASS THROUGH', 'AVAILABLE', 'IRRECOVERABLE', 'RESTORING', undefined].map(
        cachedVolumePhase,
      ),
    ).toEqual(['pending', 'pending', 'pending', 'usable', 'unusable', 'unusable', 'unusable']);
    expect(['creating', 'available', 'in-use', 'error'].map(ebsVolumePhase)).toEqual([
      'pending',
      'usable',
      'usable',
      'unusable',
    ]);
  });

  it('measures the RTO from the request and times out after the wait', () => {
    const requestedAt = '2026-11-29T12:00:00.000Z';
    expect(rtoMsOf(requestedAt, Date.parse(requestedAt) + 90_000)).toBe(90_000);
    expect(waitTimedOut(requestedAt, 10, Date.parse(requestedAt) + 10 * 60_000)).toBe(false);
    expect(waitTimedOut(requestedAt, 10, Date.parse(requestedAt) + 10 * 60_000 + 1)).toBe(true);
  });

  it('refuses, naming checkIntervalSeconds, polls that could outgrow the history', () => {
    expect(restoreHistoryEvents(32, 60, 60)).toBeLessThanOrEqual(25_000);
    expect(() => checkRestoreHistory(32, 60, 60)).not.toThrow();
    expect(() => checkRestoreHistory(100, 120, 10)).toThrow(
      expect.objectContaining({ name: INVALID_INPUT, field: 'checkIntervalSeconds' }),
    );
  });
});
