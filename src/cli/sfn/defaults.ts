/**
 * The state machine `sgw-snap` starts unless `--state-machine` says otherwise: the name
 * `serverless.yml` deploys on the default stage (`${self:service}-${sls:stage}`, stage `dev`).
 * `sgw-snap serve` serves the same name, so the local runbook needs no flags either.
 */
export const DEFAULT_STATE_MACHINE = 'sgw-recovery-snapshots-dev';
/** How many executions `sgw-snap list` shows unless `--max` says otherwise. */
export const DEFAULT_LIST_MAX = 20;
