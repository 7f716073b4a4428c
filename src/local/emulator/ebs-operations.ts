import { AwsError } from './errors.ts';
import { listIndexes, listParam, type QueryParams } from './query.ts';
import type { EbsVolumeRecord } from './restore-state.ts';
import type { OperationContext } from './service.ts';
import { isVisible } from './state.ts';
import { xmlElement, xmlText } from './xml.ts';

/**
 * Restore (issue 14): EC2's `CreateVolume`, `DescribeVolumes` and `DeleteVolume` for volumes made from the
 * emulator's snapshots (EC2 API Reference). A volume is `creating`, then `available`; a deleted one is gone.
 */

const GIB = 2 ** 30;
const VOLUME_NOT_FOUND = 'InvalidVolume.NotFound';
// An Availability Zone of the fleet's Region: its name and a letter a–f.
const ZONE_LETTERS = /^[a-f]$/;

/** EC2's `CreateVolume`. */
export function createVolume(params: QueryParams, context: OperationContext): string {
  const { state } = context;
  const restores = state.restores;
  const zone = params.AvailabilityZone;
  if (!zone) throw new AwsError('MissingParameter', 'The request must contain the parameter AvailabilityZone');
  const token = params.ClientToken;
  const tags = tagsOf(params);
  const request = JSON.stringify({ ...params, ClientToken: undefined });
  const earlier = token ? restores.ebsByToken(token) : undefined;
  if (earlier) {
    // "If you repeat a request with the same client token but change another request parameter, Amazon EC2
    // returns an IdempotentParameterMismatch error" (EC2 API Reference, "Ensuring idempotency").
    if (earlier.request !== request) {
      throw new AwsError('IdempotentParameterMismatch', `The client token ${token} was used with other parameters.`);
    }
    return volumeXml(earlier, context.now(), false);
  }
  if (!zone.startsWith(state.region) || !ZONE_LETTERS.test(zone.slice(state.region.length))) {
    throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${zone}]`);
  }
  const snapshotId = params.SnapshotId;
  let lost = false;
  let sizeGib = params.Size === undefined ? undefined : Number(params.Size);
  if (snapshotId !== undefined) {
    const snapshot = state.snapshot(snapshotId);
    if (!snapshot || !isVisible(snapshot, context.now())) {
      throw new AwsError('InvalidSnapshot.NotFound', `The snapshot '${snapshotId}' does not exist.`);
    }
    const snapshotGib = Math.ceil(snapshot.volume.sizeBytes / GIB);
    if (sizeGib !== undefined && sizeGib < snapshotGib) {
      throw new AwsError(
        'InvalidParameterValue',
        `Volume of ${sizeGib}GiB is smaller than snapshot '${snapshotId}' (${snapshotGib}GiB)`,
      );
    }
    sizeGib ??= snapshotGib;
    // Restore (issue 14): a key the volume cannot be encrypted with makes no error here (below).
    if (snapshot.kmsKeyArn && !keyUsable(context, snapshot.kmsKeyArn)) lost = true;
  }
  if (sizeGib === undefined || !Number.isInteger(sizeGib) || sizeGib < 1) {
    throw new AwsError('MissingParameter', 'The request must contain the parameter size or snapshotId');
  }
  const now = context.now();
  const volume: EbsVolumeRecord = {
    volumeId: `vol-${restores.nextId(17)}`,
    snapshotId,
    availabilityZone: zone,
    sizeGib,
    volumeType: params.VolumeType ?? 'gp2',
    tags,
    createdAt: now,
    availableAt: now + context.restoreTimings.ebsVolumeMs,
    request,
  };
  // Restore (issue 14): CreateVolume from a snapshot whose KMS key is not Enabled, or not the caller's to use, answers
  // the volume `creating` and no error, and the volume is then gone: DescribeVolumes answers InvalidVolume.NotFound
  // (aws/aws-cli#2604; kubernetes-sigs/aws-ebs-csi-driver#16, "CreateVolume does not return errors when creating an
  // encrypted volume using either non-existing or non-available KMS key", and #2685 for missing KMS permissions).
  if (!lost) restores.addEbs(volume, token);
  return volumeXml(volume, now, false);
}

/** Whether the caller's account may encrypt a volume with the key: it exists in the Region, is Enabled, and is its. */
function keyUsable({ state, caller }: OperationContext, keyArn: string): boolean {
  const key = state.accounts.key(keyArn, state.region);
  return key !== undefined && key.keyState === 'Enabled' && state.accounts.mayUse(key, caller.accountId);
}

/** EC2's `DescribeVolumes` (by `VolumeId.N`, or every volume, filtered by `tag:`, `volume-id` and `status`). */
export function describeVolumes(params: QueryParams, { state, now }: OperationContext): string {
  const ids = listParam(params, 'VolumeId');
  const restores = state.restores;
  const missing = ids.filter((id) => !restores.ebsVolume(id));
  if (missing.length) throw new AwsError(VOLUME_NOT_FOUND, `The volume '${missing.join(', ')}' does not exist.`);
  const at = now();
  const candidates = ids.length ? ids.map((id) => restores.ebsVolume(id) as EbsVolumeRecord) : restores.ebsVolumes();
  const filters = listIndexes(params, 'Filter').map((i) => {
    const name = params[`Filter.${i}.Name`] ?? '';
    const values = listParam(params, `Filter.${i}.Value`);
    if (name.startsWith('tag:')) {
      const key = name.slice('tag:'.length);
      return (v: EbsVolumeRecord) => Object.hasOwn(v.tags, key) && values.includes(v.tags[key] ?? '');
    }
    if (name === 'volume-id') return (v: EbsVolumeRecord) => values.includes(v.volumeId);
    if (name === 'status') return (v: EbsVolumeRecord) => values.includes(statusOf(v, at));
    throw new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`);
  });
  const selected = candidates.filter((v) => filters.every((f) => f(v)));
  return xmlElement('volumeSet', ...selected.map((v) => volumeXml(v, at, true)));
}

/** EC2's `DeleteVolume`. */
export function deleteEbsVolume(params: QueryParams, { state, now }: OperationContext): string {
  const id = params.VolumeId;
  if (!id) throw new AwsError('MissingParameter', 'The request must contain the parameter VolumeId');
  if (!state.restores.deleteEbs(id, now())) throw new AwsError(VOLUME_NOT_FOUND, `The volume '${id}' does not exist.`);
  return xmlText('return', true);
}

function statusOf(volume: EbsVolumeRecord, now: number): string {
  return now >= volume.availableAt ? 'available' : 'creating';
}

function tagsOf(params: QueryParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of listIndexes(params, 'TagSpecification')) {
    const prefix = `TagSpecification.${spec}`;
    if ((params[`${prefix}.ResourceType`] ?? 'volume') !== 'volume') {
      throw new AwsError(
        'InvalidParameterValue',
        `CreateVolume tags only a volume, not ${params[`${prefix}.ResourceType`]}`,
      );
    }
    for (const i of listIndexes(params, `${prefix}.Tag`)) {
      const key = params[`${prefix}.Tag.${i}.Key`] ?? '';
      if (!key || key.length > 128 || /^aws:/i.test(key))
        throw new AwsError('InvalidParameterValue', `Tag key '${key}' is not valid`);
      tags[key] = params[`${prefix}.Tag.${i}.Value`] ?? '';
    }
  }
  return tags;
}

// CreateVolume answers the volume's members at the top of its response; DescribeVolumes wraps each in <item>.
function volumeXml(volume: EbsVolumeRecord, now: number, asItem: boolean): string {
  const tags = Object.entries(volume.tags).map(([key, value]) =>
    xmlElement('item', xmlText('key', key), xmlText('value', value)),
  );
  const members = [
    xmlText('volumeId', volume.volumeId),
    xmlText('size', volume.sizeGib),
    xmlText('snapshotId', volume.snapshotId ?? ''),
    xmlText('availabilityZone', volume.availabilityZone),
    xmlText('status', statusOf(volume, now)),
    xmlText('createTime', new Date(volume.createdAt).toISOString()),
    xmlText('volumeType', volume.volumeType),
    xmlText('encrypted', false),
    xmlText('multiAttachEnabled', false),
    asItem ? xmlElement('attachmentSet') : '',
    tags.length ? xmlElement('tagSet', ...tags) : '',
  ];
  return asItem ? xmlElement('item', ...members) : members.join('');
}
