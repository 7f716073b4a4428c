import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ListGatewaysCommand } from '@aws-sdk/client-storage-gateway';
import { createEc2Client, createS3Client, createStorageGatewayClient } from '../../../src/aws/clients.ts';

type Reply = (request: IncomingMessage, response: ServerResponse) => void;

/** A local endpoint that answers every request with `reply` and counts them. */
async function failingEndpoint(reply: Reply): Promise<{ url: string; requests: () => number; server: Server }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on('end', () => reply(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, server };
}

const CONFIG = { region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } };
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('createStorageGatewayClient', () => {
  it('makes one attempt and surfaces the service error by its name', async () => {
    // Prepare
    const endpoint = await failingEndpoint((_, response) => {
      response.writeHead(500, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': 'InternalServerError',
      });
      response.end(JSON.stringify({ __type: 'InternalServerError', message: 'try later' }));
    });
    servers.push(endpoint.server);
    const client = createStorageGatewayClient({ ...CONFIG, endpoint: endpoint.url });

    // Act
    const act = client.send(new ListGatewaysCommand({}));

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InternalServerError' });
    expect(endpoint.requests()).toBe(1);
  });

  it('does not retry throttling either', async () => {
    // Prepare
    const endpoint = await failingEndpoint((_, response) => {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ __type: 'ThrottlingException', message: 'slow down' }));
    });
    servers.push(endpoint.server);
    const client = createStorageGatewayClient({ ...CONFIG, endpoint: endpoint.url });

    // Act
    const act = client.send(new ListGatewaysCommand({}));

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(endpoint.requests()).toBe(1);
  });
});

describe('createEc2Client', () => {
  it('makes one attempt and surfaces the service error by its name', async () => {
    // Prepare
    const endpoint = await failingEndpoint((_, response) => {
      response.writeHead(503, { 'content-type': 'text/xml' });
      response.end(
        '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code>' +
          '<Message>Request limit exceeded.</Message></Error></Errors><RequestID>r-1</RequestID></Response>',
      );
    });
    servers.push(endpoint.server);
    const client = createEc2Client({ ...CONFIG, endpoint: endpoint.url });

    // Act
    const act = client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'RequestLimitExceeded' });
    expect(endpoint.requests()).toBe(1);
  });
});

describe('createS3Client', () => {
  it('makes one attempt and surfaces the service error by its name', async () => {
    // Prepare
    const endpoint = await failingEndpoint((_, response) => {
      response.writeHead(503, { 'content-type': 'application/xml' });
      response.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>' +
          '<Message>Please reduce your request rate.</Message><RequestId>r-1</RequestId></Error>',
      );
    });
    servers.push(endpoint.server);
    const client = createS3Client({ ...CONFIG, endpoint: endpoint.url, forcePathStyle: true });

    // Act
    const act = client.send(new GetObjectCommand({ Bucket: 'evidence', Key: 'executions/sm/run/report.json' }));

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'SlowDown' });
    expect(endpoint.requests()).toBe(1);
  });
});
