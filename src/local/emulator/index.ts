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
export type { EmulatorCall } from './dispatch.ts';
export { INVALID_FAULT_RULES, InvalidFaultRulesError, UNKNOWN_RESOURCE, UnknownResourceError } from './errors.ts';
export { ANY_OPERATION, type FaultRule, FaultRuleSchema } from './faults.ts';
export { gatewayArnOf, type SnapshotState, volumeArnOf } from './state.ts';
