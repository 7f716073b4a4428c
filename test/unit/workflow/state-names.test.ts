import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseSync } from '@swc/core';
import { allStates, loadDefinition } from '../../../src/statemachine/definition.ts';
import { restoreWorkflow } from '../../../src/workflow/restore.ts';
import { snapshotWorkflow } from '../../../src/workflow/snapshot.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const SCANNED = ['src', 'functions', 'bin'];
/** Each workflow and the one module allowed to name its states. */
const WORKFLOWS = [
  { workflow: snapshotWorkflow, module: 'src/workflow/snapshot.ts' },
  { workflow: restoreWorkflow, module: 'src/workflow/restore.ts' },
];
// A Fail state is named after the error it fails with, and the error contract names the error.
const ERROR_CONTRACT = 'src/errors.ts';

interface Place {
  file: string;
  name: string;
  how: 'string' | 'template' | 'key';
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every string literal, template part and property key of `source` that is one of `names`; comments are not code. */
function placesIn(file: string, source: string, names: ReadonlySet<string>): Place[] {
  const places: Place[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: string; value?: unknown; cooked?: unknown; key?: { type?: string; value?: unknown } };
    if (n.type === 'StringLiteral' && names.has(String(n.value)))
      places.push({ file, name: String(n.value), how: 'string' });
    if (n.type === 'TemplateElement' && names.has(String(n.cooked)))
      places.push({ file, name: String(n.cooked), how: 'template' });
    if (n.key?.type === 'Identifier' && names.has(String(n.key.value)))
      places.push({ file, name: String(n.key.value), how: 'key' });
    for (const child of Object.values(node)) visit(child);
  };
  visit(parseSync(source, { syntax: 'typescript' }));
  return places;
}

describe.each(WORKFLOWS)('the states of $module', ({ workflow, module }) => {
  const states = allStates(loadDefinition(workflow.definitionUrl));
  const names = new Set(states.keys());
  const failErrors = new Set([...states.values()].filter((s) => s.Type === 'Fail').map((s) => String(s.Error)));

  it('are named in code only by their descriptor', () => {
    // Prepare
    const files = SCANNED.flatMap((dir) => typeScriptFiles(join(ROOT, dir)));

    // Act
    const places = files.flatMap((path) => placesIn(relative(ROOT, path), readFileSync(path, 'utf8'), names));
    const elsewhere = places.filter(
      (place) => place.file !== module && !(place.file === ERROR_CONTRACT && failErrors.has(place.name)),
    );

    // Assess
    expect(files.length).toBeGreaterThan(50);
    expect(places.filter((place) => place.file === module).length).toBeGreaterThanOrEqual(names.size);
    expect(elsewhere).toEqual([]);
  });

  it('would be found as strings, template parts and keys, and not in comments', () => {
    // Prepare
    const [first, second, third] = [...names];
    const source = `// '${first}'\nconst a = '${first}';\nconst b = { ${second}() {} };\nconst c = \`${third}\`;`;

    // Act
    const places = placesIn('sample.ts', source, names);

    // Assess
    expect(places.map(({ name, how }) => [name, how])).toEqual([
      [first, 'string'],
      [second, 'key'],
      [third, 'template'],
    ]);
  });
});
