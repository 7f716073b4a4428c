/**
 * EC2's limit on copies in flight: "There is a limit of 20 concurrent snapshot copy requests per destination Region.
 * If you exceed this quota, you receive a ResourceLimitExceeded error" (Considerations for copying snapshots,
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebs-copy-snapshot.html). The copy rounds never start more; the
 * emulator refuses the 21st.
 */
export const CONCURRENT_COPIES_PER_DESTINATION_REGION = 20;

/** EC2's answer to a copy past the limit: no free slot this round, never a failure. */
export const RESOURCE_LIMIT_EXCEEDED = 'ResourceLimitExceeded';
