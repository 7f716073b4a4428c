/** Step Functions fails an execution whose state input or output exceeds this (`States.DataLimitExceeded`). */
export const PAYLOAD_LIMIT_BYTES = 262_144;
/**
 * The most gateways one execution takes. Every account of a gateway lives in S3, so the one list that grows in the
 * state machine's payload is the gateway ARNs the Map iterates: at most 99 bytes each in JSON (the longest partition
 * and Region names, a 26-character gateway ID), 2,000 of them take 198 KB and leave 58 KB of the 256 KB for the input.
 */
export const MAX_GATEWAYS_PER_EXECUTION = 2_000;
