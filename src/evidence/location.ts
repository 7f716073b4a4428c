/** Where one evidence object lives. */
export interface EvidenceLocation {
  readonly bucket: string;
  readonly key: string;
}

/** The `s3://bucket/key` form of a location, as the AWS CLI and the S3 console take it. */
export function toS3Uri(location: EvidenceLocation): string {
  return `s3://${location.bucket}/${location.key}`;
}
