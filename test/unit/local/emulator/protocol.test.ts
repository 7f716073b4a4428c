import { type RunningEmulator, startEmulator } from '../../../helpers/emulator.ts';

const JSON_TYPE = 'application/x-amz-json-1.1';
const FORM_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

describe('wire protocols', () => {
  let running: RunningEmulator;

  beforeEach(async () => {
    running = await startEmulator();
  });

  afterEach(async () => {
    await running.stop();
  });

  const post = (headers: Record<string, string>, body: string) => fetch(running.url, { method: 'POST', headers, body });

  it.each([
    ['an unknown operation', 'StorageGateway_20130630.DeleteEverything', '{}', 'UnknownOperationException'],
    ['another service prefix', 'AWSStepFunctions.ListGateways', '{}', 'UnknownOperationException'],
    ['a body that is not JSON', 'StorageGateway_20130630.ListGateways', '{"Limit":', 'SerializationException'],
    ['a body that is a JSON array', 'StorageGateway_20130630.ListGateways', '[]', 'SerializationException'],
  ])('answers %s with a 400 %s', async (_case, target, body, type) => {
    // Act
    const response = await post({ 'x-amz-target': target, 'content-type': JSON_TYPE }, body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe(JSON_TYPE);
    expect(await response.json()).toMatchObject({ __type: type, message: expect.any(String) });
    expect(running.emulator.calls.at(-1)?.error).toBe(type);
  });

  it('puts errorCode and errorDetails in Storage Gateway errors', async () => {
    // Act
    const response = await post(
      { 'x-amz-target': 'StorageGateway_20130630.ListVolumeRecoveryPoints', 'content-type': JSON_TYPE },
      '{}',
    );

    // Assess
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidGatewayRequestException');
    expect(await response.json()).toEqual({
      __type: 'InvalidGatewayRequestException',
      message: expect.stringContaining('GatewayARN'),
      error: { errorCode: 'InvalidParameters', errorDetails: {} },
    });
  });

  it('answers EC2 in XML with the 2016-11-15 namespace and a request id', async () => {
    // Act
    const response = await post({ 'content-type': FORM_TYPE }, 'Action=DescribeSnapshots&Version=2016-11-15');
    const body = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeSnapshotsResponse xmlns="http:\/\/ec2.amazonaws.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><snapshotSet><\/snapshotSet><\/DescribeSnapshotsResponse>$/,
    );
  });

  it('answers an unknown EC2 action with an InvalidAction XML error', async () => {
    // Act
    const response = await post({ 'content-type': FORM_TYPE }, 'Action=TerminateInstances&Version=2016-11-15');

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Errors><Error><Code>InvalidAction</Code>');
  });

  it('answers a request that names no service as an unknown operation', async () => {
    // Act
    const response = await post({ 'content-type': JSON_TYPE }, '{}');

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('routes by the table: an operation of one service named as the other would name it is unknown', async () => {
    // Act
    const ec2InTarget = await post({ 'x-amz-target': 'DescribeSnapshots', 'content-type': JSON_TYPE }, '{}');
    const sgwAsAction = await post({ 'content-type': FORM_TYPE }, 'Action=ListGateways&Version=2016-11-15');
    const get = await fetch(running.url, { headers: { 'x-amz-target': 'StorageGateway_20130630.ListGateways' } });

    // Assess
    expect(ec2InTarget.status).toBe(400);
    expect(await ec2InTarget.json()).toMatchObject({ __type: 'UnknownOperationException' });
    expect(sgwAsAction.status).toBe(400);
    expect(await sgwAsAction.text()).toContain('<Errors><Error><Code>InvalidAction</Code>');
    expect(get.status).toBe(400);
    expect(await get.json()).toMatchObject({ __type: 'UnknownOperationException' });
    expect(running.emulator.calls.map((c) => c.operation)).toEqual([
      'DescribeSnapshots',
      'ListGateways',
      'StorageGateway_20130630.ListGateways',
    ]);
  });

  it('keeps serving after a client hangs up mid-request', async () => {
    // Prepare
    const controller = new AbortController();
    const aborted = fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': FORM_TYPE },
      body: new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('Action=Desc')) }),
      duplex: 'half',
      signal: controller.signal,
    } as RequestInit).catch((error: Error) => error.name);
    controller.abort();

    // Act
    const response = await post({ 'content-type': FORM_TYPE }, 'Action=DescribeSnapshots');

    // Assess
    expect(await aborted).toBe('AbortError');
    expect(response.status).toBe(200);
  });
});
