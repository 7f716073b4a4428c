import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { ValidatedDefinitions } from '../../../src/local/validated-definitions.ts';

describe('ValidatedDefinitions', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'validated-asl-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('validates a definition once, in this process and in the next one, and each changed definition again', () => {
    // Prepare
    const definition = { StartAt: 'A', States: { A: { Type: 'Succeed' } } };
    const validate = jest.fn();

    // Act
    new ValidatedDefinitions(directory).ensure(definition, validate);
    new ValidatedDefinitions(directory).ensure(structuredClone(definition), validate);
    const later = new ValidatedDefinitions(directory);
    later.ensure({ ...definition, Comment: 'changed' }, validate);
    later.ensure({ ...definition, Comment: 'changed' }, validate);

    // Assess
    expect(validate).toHaveBeenCalledTimes(2);
  });

  it('never remembers a definition the validator refused', async () => {
    // Prepare
    const definition = { StartAt: 'Missing', States: {} };
    const refuse = jest.fn(() => {
      throw new Error('invalid');
    });
    const validated = new ValidatedDefinitions(directory);

    // Act
    const first = () => validated.ensure(definition, refuse);
    const second = () => new ValidatedDefinitions(directory).ensure(definition, refuse);

    // Assess
    expect(first).toThrow('invalid');
    expect(second).toThrow('invalid');
    expect(refuse).toHaveBeenCalledTimes(2);
    expect(await readdir(directory)).toEqual([]);
  });

  it('takes a part of a definition validated whole as validated, in this process only', () => {
    // Prepare
    const processor = { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } };
    const validate = jest.fn();
    const validated = new ValidatedDefinitions(directory);

    // Act
    validated.add(processor);
    validated.ensure(processor, validate);
    new ValidatedDefinitions(directory).ensure(processor, validate);

    // Assess
    expect(validate).toHaveBeenCalledTimes(1);
  });
});
