/** Where SIGINT and SIGTERM arrive: `process`, or a test's emitter. */
export type SignalSource = Pick<NodeJS.EventEmitter, 'once' | 'off'>;

/** Resolves at the first SIGINT or SIGTERM, and stops listening for both then. */
export function waitForStopSignal(signals: SignalSource): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      resolve();
    };
    signals.once('SIGINT', stop);
    signals.once('SIGTERM', stop);
  });
}
