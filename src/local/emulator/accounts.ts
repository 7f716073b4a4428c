import type { Fleet } from '../fleet.ts';
import { deterministicHex } from './random.ts';

/** A role STS hands credentials for. */
interface RoleRecord {
  readonly accountId: string;
  readonly name: string;
  readonly trustedAccountIds: ReadonlySet<string>;
}

/** A KMS key: its owner and Region, and the other accounts its policy (or a grant) lets use it. */
export interface KmsKeyRecord {
  readonly keyId: string;
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly usableBy: Set<string>;
  /** Restore (issue 14): its `KeyState` (`Enabled` unless the fleet says otherwise). */
  readonly keyState: string;
}

/**
 * Copies (issue 13): the accounts of the fleet, as AWS tells them apart: by the access key a request is signed with.
 * Keys STS hands out (`AssumeRole`) belong to the role's account. Any key the fleet does not name is the fleet's own
 * account, so callers that know nothing of accounts keep working.
 */
export class AccountsState {
  readonly #byKey = new Map<string, string>();
  readonly #roles = new Map<string, RoleRecord>();
  readonly #keys = new Map<string, KmsKeyRecord>();
  readonly #seed: number;
  #issued = 0;

  constructor(fleet: Fleet, seed: number) {
    this.#seed = seed;
    for (const account of fleet.accounts ?? []) {
      this.#byKey.set(account.accessKeyId, account.accountId);
      for (const role of account.roles ?? []) {
        const arn = roleArnOf(account.accountId, role.name);
        this.#roles.set(arn, {
          accountId: account.accountId,
          name: role.name,
          trustedAccountIds: new Set(role.trustedAccountIds),
        });
      }
    }
    for (const key of fleet.kmsKeys ?? []) {
      const arn = `arn:aws:kms:${key.region}:${key.accountId}:key/${key.keyId}`;
      this.#keys.set(key.keyId, { ...key, arn, usableBy: new Set(key.usableBy ?? []) });
    }
  }

  /** The account of an access key, when the fleet (or STS) gave it to one. */
  accountOfKey(accessKeyId: string): string | undefined {
    return this.#byKey.get(accessKeyId);
  }

  role(arn: string): RoleRecord | undefined {
    return this.#roles.get(arn);
  }

  /** New temporary credentials of `accountId`: the access key maps to that account from now on. */
  issueCredentials(accountId: string): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
    const accessKeyId = `ASIA${deterministicHex(16, this.#seed, this.#issued).toUpperCase()}`;
    this.#issued += 1;
    this.#byKey.set(accessKeyId, accountId);
    return { accessKeyId, secretAccessKey: `secret-${accessKeyId}`, sessionToken: `token-${accessKeyId}` };
  }

  /** A key by ID or ARN, in `region`. */
  key(idOrArn: string, region: string): KmsKeyRecord | undefined {
    const id = idOrArn.slice(idOrArn.lastIndexOf('/') + 1);
    const key = this.#keys.get(id);
    return key && key.region === region && (idOrArn === id || idOrArn === key.arn) ? key : undefined;
  }

  /** Whether `accountId` may use the key: its owner, or an account its policy or a grant names. */
  mayUse(key: KmsKeyRecord, accountId: string): boolean {
    return key.accountId === accountId || key.usableBy.has(accountId);
  }
}

export function roleArnOf(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:role/${name}`;
}
