// asl-validator 4 ships no type declarations; this is the part of its API the ASL tests use.
declare module 'asl-validator' {
  export interface AslValidationResult {
    isValid: boolean;
    errors: unknown[];
    errorsText(separator?: string): string;
  }
  export default function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): AslValidationResult;
}
