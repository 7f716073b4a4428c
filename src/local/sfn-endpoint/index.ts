export {
  createSfnEndpoint,
  DEFAULT_SFN_ENDPOINT_HOST,
  DEFAULT_SFN_ENDPOINT_PORT,
  type SfnEndpoint,
  type SfnEndpointOptions,
} from './create-sfn-endpoint.ts';
export { SfnApiError, SfnErrorType } from './errors.ts';
