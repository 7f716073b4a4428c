export {
  DEFAULT_CLOUD_RULES,
  DEFAULT_SNAPSHOT_VISIBILITY_LAG_MS,
  EC2_CREATE_TAGS_BUCKET,
  EC2_DESCRIBE_SNAPSHOTS_BUCKET,
} from './cloud-rules.ts';
export {
  createEmulator,
  DEFAULT_EMULATOR_HOST,
  DEFAULT_EMULATOR_LISTEN_PORT,
  DEFAULT_EMULATOR_SEED,
  DEFAULT_SNAPSHOT_COMPLETION_MS,
  type Emulator,
  type EmulatorOptions,
  type EmulatorSnapshot,
  type ListenOptions,
} from './create-emulator.ts';
export { type EmulatorCall, NETWORK_FAULT } from './dispatch.ts';
export { INVALID_FAULT_RULES, InvalidFaultRulesError, UNKNOWN_RESOURCE, UnknownResourceError } from './errors.ts';
export {
  ANY_OPERATION,
  DEFAULT_HTML_STATUS,
  FAULT_KINDS,
  type FaultKind,
  type FaultRule,
  FaultRuleSchema,
} from './faults.ts';
export { gatewayArnOf, type SnapshotState, volumeArnOf } from './state.ts';
