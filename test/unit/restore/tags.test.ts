import { gibOf } from '../../../src/restore/names.ts';
import { isOwnTestVolume, RESTORE_TAG, restoreTags } from '../../../src/restore/tags.ts';
import { EXECUTION, GATEWAY_A, GIB, volume } from './fixtures.ts';

describe('the tags of a restored volume', () => {
  const source = volume(GATEWAY_A, 'vol-0000000A');

  it('mark a test volume as deletable by that test only, and a real restore as nobody’s to delete', () => {
    // Act
    const test = restoreTags(EXECUTION, source, true);
    const real = restoreTags(EXECUTION, source, false);

    // Assess
    expect(test[RESTORE_TAG.test]).toBe('true');
    expect(real[RESTORE_TAG.test]).toBeUndefined();
    expect(isOwnTestVolume(test, EXECUTION, source)).toBe(true);
    expect(isOwnTestVolume(real, EXECUTION, source)).toBe(false);
    expect(isOwnTestVolume(test, `${EXECUTION}-other`, source)).toBe(false);
    expect(isOwnTestVolume(test, EXECUTION, volume(GATEWAY_A, 'vol-0000000B'))).toBe(false);
  });

  it('size an EBS volume in whole GiB, rounding up', () => {
    expect([gibOf(100 * GIB), gibOf(100 * GIB + 1)]).toEqual([100, 101]);
  });
});
