/** Step Functions fails an execution whose state input or output exceeds this (`States.DataLimitExceeded`). */
export const PAYLOAD_LIMIT_BYTES = 262_144;
/** All gateways' results together, shared evenly between the gateways of an execution. */
export const GATEWAY_RESULTS_BUDGET_BYTES = 150_000;
/** The execution report: the output of `Summarise` holds it and the failure cause, under the payload limit. */
export const REPORT_BUDGET_BYTES = 200_000;
/** An execution's failure cause holds at most 32,768 characters. */
export const CAUSE_BUDGET_BYTES = 32_000;
/**
 * The most gateways one execution takes: at 32 failed volumes each, a gateway's result cannot be cut below
 * about 825 bytes (every failed volume stays named), and 200 such results were measured to fit with room
 * to spare (`npm run bench`, section 5). A larger fleet is run as several executions.
 */
export const MAX_GATEWAYS_PER_EXECUTION = 200;
