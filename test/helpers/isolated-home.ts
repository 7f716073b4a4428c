import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every test file gets a home of its own: local S3 data (and anything else a command keeps under the user's
// home) goes there, never into the real home of whoever runs the tests.
const home = mkdtempSync(join(tmpdir(), 'sgw-snap-test-home-'));
const saved = { HOME: process.env.HOME, XDG_DATA_HOME: process.env.XDG_DATA_HOME };
process.env.HOME = home;
delete process.env.XDG_DATA_HOME;

afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(home, { recursive: true, force: true });
});
