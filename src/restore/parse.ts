import * as z from 'zod';
import { InvalidEvidenceError } from '../errors.ts';
import { describeIssue, invalidInput } from '../input/parse.ts';
import { ManifestDocumentSchema, type ManifestGatewayInput, type RestoreInput, RestoreInputSchema } from './schema.ts';

/**
 * Validates the input of a restore and applies its defaults, before any AWS call.
 * @throws InvalidInputError naming the first offending field, with every problem in the message
 */
export function parseRestoreInput(raw: unknown): RestoreInput {
  const result = RestoreInputSchema.safeParse(raw ?? {});
  if (!result.success) throw invalidInput(result.error.issues.map(describeIssue), result.error);
  return result.data;
}

/**
 * The manifest of a `manifest.json` or `report.json` an execution wrote.
 * @param where the object's address, for the message
 * @throws InvalidEvidenceError when the object holds no manifest
 */
export function parseManifestDocument(value: unknown, where: string): ManifestGatewayInput[] {
  const result = ManifestDocumentSchema.safeParse(value);
  if (!result.success) {
    throw new InvalidEvidenceError(`${where} holds no manifest:\n${z.prettifyError(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data.manifest;
}
