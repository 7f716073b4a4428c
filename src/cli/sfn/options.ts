import { InvalidArgumentError } from 'commander';

/** Parses a whole number flag value, at least `min`. */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min) {
      throw new InvalidArgumentError(`must be a whole number of at least ${min}`);
    }
    return number;
  };
}
