import { countsAsSnapshot, FAILED_SNAPSHOT_STATE } from '../../../src/snapshot/state.ts';

describe('countsAsSnapshot', () => {
  it.each(['pending', 'completed', 'recoverable', 'recovering'])('counts a snapshot in state %s', (state) => {
    // Act
    const counts = countsAsSnapshot({ state });

    // Assess
    expect(counts).toBe(true);
  });

  it('never counts a snapshot in state error', () => {
    // Act
    const counts = countsAsSnapshot({ state: FAILED_SNAPSHOT_STATE });

    // Assess
    expect(FAILED_SNAPSHOT_STATE).toBe('error');
    expect(counts).toBe(false);
  });
});
