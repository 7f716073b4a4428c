import { allStates, loadDefinition, taskFunctions } from '../../../src/statemachine/definition.ts';
import { SnapshotState, snapshotWorkflow } from '../../../src/workflow/snapshot.ts';

const definition = loadDefinition(snapshotWorkflow.definitionUrl);
const states = allStates(definition);

describe('the snapshot workflow descriptor', () => {
  it('names exactly the states of its ASL', () => {
    // Assess
    expect([...snapshotWorkflow.stateNames].sort()).toEqual([...states.keys()].sort());
    expect(Object.values(SnapshotState)).toEqual(snapshotWorkflow.stateNames);
  });

  it('has a handler factory for each function its ASL invokes, and no other', () => {
    // Act
    const invoked = new Set(taskFunctions(definition).values());

    // Assess
    expect(Object.keys(snapshotWorkflow.handlers).sort()).toEqual([...invoked].sort());
  });

  it('names the Fail state of its ASL and the error it fails with', () => {
    // Act
    const failState = states.get(snapshotWorkflow.failState.name);

    // Assess
    expect(failState).toMatchObject({ Type: 'Fail', Error: snapshotWorkflow.failState.error });
  });

  it('knows a failed-over Task by the ResultPath of every Catch of its ASL', () => {
    // Act
    const resultPaths = [...states.values()].flatMap((s) =>
      ((s.Catch ?? []) as Array<{ ResultPath?: string }>).map((c) => c.ResultPath),
    );

    // Assess
    expect(resultPaths.length).toBeGreaterThan(0);
    expect(resultPaths.map((path) => path?.replace(/^\$\./, '')).sort()).toEqual(
      [...snapshotWorkflow.caughtErrorKeys].sort(),
    );
  });

  it('reads only states its ASL has', () => {
    // Assess
    for (const name of Object.keys(snapshotWorkflow.states)) expect(states.has(name)).toBe(true);
  });
});
