import { readFile, stat } from 'node:fs/promises';
import { UsageError } from '../../errors.ts';
import { parseManifestDocument } from '../../restore/parse.ts';
import type { ManifestGatewayInput } from '../../restore/schema.ts';
import { snapshotWorkflow } from '../../workflow/snapshot.ts';
import { reportOfExecution } from '../outcome.ts';
import type { SfnSession } from '../sfn/session.ts';
import { executionArnOf } from '../sfn/step-functions.ts';

/** Where a restore takes its manifest from: an S3 object the state machine reads, or the manifest itself. */
export type RestoreSource = { manifestUri: string } | { manifest: ManifestGatewayInput[] };

const EXECUTION_ARN = /^arn:[^:]+:states:[^:]*:\d{12}:execution:[^:]+:[^:]+$/;

/**
 * What `--from` names: an `s3://` URI of a manifest (or report), a local JSON file holding one, or a snapshot
 * execution (ARN, or name of an execution of `snapshotStateMachine`) whose evidence names its manifest.
 * @throws {UsageError} when it is none of these, or the execution left no manifest
 */
export async function restoreSourceOf(
  from: string,
  session: SfnSession,
  snapshotStateMachine: string,
): Promise<RestoreSource> {
  if (from.startsWith('s3://')) return { manifestUri: from };
  if (await isFile(from)) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(from, 'utf8'));
    } catch (error) {
      throw new UsageError(`--from ${from}: not a JSON file: ${(error as Error).message}`, { cause: error });
    }
    try {
      return { manifest: parseManifestDocument(value, from) };
    } catch (error) {
      throw new UsageError(`--from ${(error as Error).message}`, { cause: error });
    }
  }
  const executionArn = EXECUTION_ARN.test(from)
    ? from
    : executionArnOf(await session.sfn.stateMachineArn(snapshotStateMachine), from);
  const description = await session.sfn.describeExecution(executionArn);
  const manifestUri = reportOfExecution({ description }, snapshotWorkflow)?.evidence?.manifest;
  if (!manifestUri) {
    throw new UsageError(
      `--from ${from}: execution ${description.name} (${description.status}) left no manifest to restore from`,
    );
  }
  return { manifestUri };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
