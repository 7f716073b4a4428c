import { createHash } from 'node:crypto';

/** Every tag this tool puts on a snapshot starts with this; users may not set such keys. */
export const RESERVED_TAG_PREFIX = 'sgw-snap:';

/** The tags that make a snapshot its own record: which recovery point it holds and who made it. */
export const SNAPSHOT_TAG = {
  gatewayArn: `${RESERVED_TAG_PREFIX}gateway-arn`,
  volumeArn: `${RESERVED_TAG_PREFIX}volume-arn`,
  recoveryPointTime: `${RESERVED_TAG_PREFIX}recovery-point-time`,
  execution: `${RESERVED_TAG_PREFIX}execution`,
} as const;

/** Puts a snapshot on legal hold, whatever its value: retention never deletes it (issue 12). */
export const LEGAL_HOLD_TAG = `${RESERVED_TAG_PREFIX}legal-hold`;

/**
 * Set on a snapshot just before retention deletes it: the stack's Recycle Bin rule keeps snapshots carrying it, so a
 * wrong policy can be undone for the rule's days (a Recycle Bin rule matches a tag key and one value, and this is the
 * one tag all our deletions share).
 */
export const RETENTION_DELETE_TAG = { Key: `${RESERVED_TAG_PREFIX}retention`, Value: 'deleted' } as const;

/** A snapshot holds 50 tags; ours take the rest. */
export const MAX_USER_TAGS = 50 - Object.keys(SNAPSHOT_TAG).length;

/** The most characters a Storage Gateway (and EC2) tag value holds. */
export const MAX_TAG_VALUE_LENGTH = 256;
// What a Storage Gateway tag value may hold; `=` is ours, the escape character.
const PLAIN_TAG_CHARACTER = /[\p{L}\p{Z}\p{N}_.:/+\-@]/u;
const HASHED_PREFIX = 'sha256:';

/**
 * An execution ARN as a valid tag value, with the link to the execution kept. Step Functions takes names
 * with characters Storage Gateway refuses in a tag value (`( ) ! '` and any symbol), so each such
 * character, and `=` itself, becomes `=` and the two hex digits of each of its UTF-8 bytes (as in
 * quoted-printable): the value reads as the ARN and `executionArnOfTagValue` reverses it. A value that
 * would pass 256 characters becomes `sha256:<hash of the ARN>:` and the end of the encoded ARN: no
 * longer reversible, still one value per execution, and the name is in the snapshot's description.
 */
export function executionTagValue(executionArn: string): string {
  let encoded = '';
  for (const character of executionArn) {
    encoded += PLAIN_TAG_CHARACTER.test(character)
      ? character
      : [...Buffer.from(character, 'utf8')]
          .map((byte) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`)
          .join('');
  }
  if (encoded.length <= MAX_TAG_VALUE_LENGTH) return encoded;
  const head = `${HASHED_PREFIX}${createHash('sha256').update(executionArn).digest('hex')}:`;
  return head + encoded.slice(head.length - MAX_TAG_VALUE_LENGTH);
}

/** The execution ARN an execution tag holds, or `undefined` when it holds a hash (see `executionTagValue`). */
export function executionArnOfTagValue(value: string): string | undefined {
  if (value.startsWith(HASHED_PREFIX)) return undefined;
  return value.replace(/(?:=[0-9A-F]{2})+/g, (run) =>
    Buffer.from(
      run
        .slice(1)
        .split('=')
        .map((hex) => Number.parseInt(hex, 16)),
    ).toString('utf8'),
  );
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface SnapshotIdentity {
  gatewayArn: string;
  volumeArn: string;
  recoveryPointTime: string;
  executionArn: string;
}

/** The tags of a new snapshot: the user's first, ours last so they cannot be overridden. */
export function snapshotTags(identity: SnapshotIdentity, userTags: Record<string, string>): Tag[] {
  const ours: Record<string, string> = {
    [SNAPSHOT_TAG.gatewayArn]: identity.gatewayArn,
    [SNAPSHOT_TAG.volumeArn]: identity.volumeArn,
    [SNAPSHOT_TAG.recoveryPointTime]: identity.recoveryPointTime,
    [SNAPSHOT_TAG.execution]: executionTagValue(identity.executionArn),
  };
  return Object.entries({ ...userTags, ...ours }).map(([Key, Value]) => ({ Key, Value }));
}
