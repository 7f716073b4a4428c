/** Byte length of a value as Step Functions measures payloads: UTF-8 JSON. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/**
 * How many leading items of `list` to keep so that dropping the rest frees at least `bytesToFree`
 * bytes of JSON (each item plus its comma).
 */
export function headToKeep(list: readonly unknown[], bytesToFree: number): number {
  let keep = list.length;
  let freed = 0;
  while (keep > 0 && freed < bytesToFree) {
    keep -= 1;
    freed += jsonBytes(list[keep]) + 1;
  }
  return keep;
}
