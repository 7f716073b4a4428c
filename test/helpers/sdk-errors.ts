import { EC2ServiceException } from '@aws-sdk/client-ec2';
import {
  InternalServerError,
  InvalidGatewayRequestException,
  StorageGatewayServiceException,
} from '@aws-sdk/client-storage-gateway';

/** Errors as the Storage Gateway client throws them, by the name the ASL matches. */
export const STORAGE_GATEWAY_ERRORS: Record<string, () => Error> = {
  InternalServerError: () => new InternalServerError({ message: 'An internal error occurred', $metadata: {} }),
  ThrottlingException: () =>
    new StorageGatewayServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      message: 'Rate exceeded',
      $metadata: {},
    }),
  InvalidGatewayRequestException: () =>
    new InvalidGatewayRequestException({ message: 'The specified gateway is not connected', $metadata: {} }),
};

/** An EC2 error of the given name, as the EC2 client throws it. */
export function ec2Error(name: string): Error {
  return new EC2ServiceException({ name, $fault: 'client', message: `${name} from EC2`, $metadata: {} });
}
