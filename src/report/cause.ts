/** The longest cause a report keeps for one failure. */
export const MAX_CAUSE_LENGTH = 1000;

/**
 * The readable part of a Step Functions error cause. A Lambda error's cause is the JSON
 * `{"errorType","errorMessage","trace"}`; the trace is noise in a report.
 */
export function readableCause(cause: string | undefined, maxLength = MAX_CAUSE_LENGTH): string {
  const text = errorMessageOf(cause ?? '');
  return text.length > maxLength ? `${text.slice(0, Math.max(0, maxLength - 1))}…` : text;
}

function errorMessageOf(cause: string): string {
  if (!cause.startsWith('{')) return cause;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed && typeof parsed === 'object' && 'errorMessage' in parsed && typeof parsed.errorMessage === 'string') {
      return parsed.errorMessage;
    }
  } catch {
    // Not JSON after all: keep the text as it is.
  }
  return cause;
}
