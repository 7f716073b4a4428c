// The handlers' metrics (EMF lines on standard output) are off in tests, as in a local run (`bin/sgw-snap.ts`): a
// test of the metric lines turns them on for its own file, before it imports the handler (see `emf.ts`).
const saved = process.env.POWERTOOLS_METRICS_DISABLED;
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

afterAll(() => {
  if (saved === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
  else process.env.POWERTOOLS_METRICS_DISABLED = saved;
});
