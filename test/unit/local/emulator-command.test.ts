import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { registerEmulatorCommand, runEmulator } from '../../../src/cli/commands/emulator.ts';
import { ExitCode } from '../../../src/errors.ts';
import { DEMO_FLEET_PATH } from '../../../src/local/stack.ts';

function waitForLines(lines: string[], count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (lines.length < count && Date.now() - started < 5_000) return;
      clearInterval(poll);
      if (lines.length >= count) resolve();
      else reject(new Error(`only ${lines.length} lines were printed`));
    });
  });
}

describe('emulator command', () => {
  it.each(['SIGINT', 'SIGTERM'])('serves the demo fleet, prints the endpoints and stops on %s', async (signal) => {
    // Prepare
    const lines: string[] = [];
    const signals = new EventEmitter();
    const program = new Command().exitOverride();
    registerEmulatorCommand(program, { log: (line) => lines.push(line), signals });

    // Act
    const running = program.parseAsync(['emulator', '--port', '0'], { from: 'user' });
    await waitForLines(lines, 3);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0] ?? '')?.[1] ?? '';
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'x-amz-target': 'StorageGateway_20130630.ListGateways', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    const gateways = ((await response.json()) as { Gateways: unknown[] }).Gateways;
    signals.emit(signal);
    await running;

    // Assess
    expect(lines).toEqual([
      `Storage Gateway + EC2 emulator listening on ${url}`,
      `export AWS_ENDPOINT_URL_STORAGE_GATEWAY=${url}`,
      `export AWS_ENDPOINT_URL_EC2=${url}`,
    ]);
    expect(gateways).toHaveLength(6);
    await expect(fetch(url)).rejects.toThrow();
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('rejects a port that is not a whole number up to 65535', async () => {
    // Prepare
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    registerEmulatorCommand(program, { log: () => undefined, signals: new EventEmitter() });

    // Act
    const parsing = program.parseAsync(['emulator', '--port', '70000'], { from: 'user' });

    // Assess
    await expect(parsing).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });

  it('exits 2 and names --fleet when the fleet file cannot be read, listening on nothing', async () => {
    // Prepare
    let stderr = '';
    const signals = new EventEmitter();
    const io = { log: () => undefined, stderr: { write: (text: string) => (stderr += text) }, signals };

    // Act
    const code = await runEmulator({ fleet: '/nonexistent/fleet.json', port: 0, snapshotCompletionMs: 0 }, io);

    // Assess
    expect(code).toBe(ExitCode.Usage);
    expect(stderr).toMatch(/^sgw-snap emulator: --fleet: Cannot read fleet file \/nonexistent\/fleet\.json: ENOENT/);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('exits 2 with the problem, not a stack, when the fleet file is no fleet', async () => {
    // Prepare
    const directory = await mkdtemp(path.join(tmpdir(), 'sgw-bad-fleet-'));
    const notJson = path.join(directory, 'not-json.json');
    const wrongShape = path.join(directory, 'wrong-shape.json');
    await writeFile(notJson, '{ gateways: ');
    await writeFile(wrongShape, JSON.stringify({ region: 'nowhere', gateways: 'none' }));
    let stderr = '';
    const io = {
      log: () => undefined,
      stderr: { write: (text: string) => (stderr += text) },
      signals: new EventEmitter(),
    };

    // Act
    const codes = [
      await runEmulator({ fleet: notJson, port: 0, snapshotCompletionMs: 0 }, io),
      await runEmulator({ fleet: wrongShape, port: 0, snapshotCompletionMs: 0 }, io),
    ];
    await rm(directory, { recursive: true, force: true });

    // Assess
    expect(codes).toEqual([ExitCode.Usage, ExitCode.Usage]);
    expect(stderr).toContain(`--fleet: Cannot read fleet file ${notJson}`);
    expect(stderr).toContain(`--fleet: ${wrongShape}: Invalid fleet`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 and names --port when the port is taken, with no stack trace', async () => {
    // Prepare: a server of our own holds a port.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    let stderr = '';
    const signals = new EventEmitter();
    const io = { log: () => undefined, stderr: { write: (text: string) => (stderr += text) }, signals };

    // Act
    const code = await runEmulator({ fleet: DEMO_FLEET_PATH, port, snapshotCompletionMs: 0 }, io).finally(
      () => new Promise((resolve) => holder.close(resolve)),
    );

    // Assess
    expect(code).toBe(ExitCode.Usage);
    expect(stderr).toMatch(new RegExp(`^sgw-snap emulator: --port ${port}: .*EADDRINUSE`));
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('applies a fault file over the fleet, and its help shows no path of this machine', async () => {
    // Prepare
    const lines: string[] = [];
    const signals = new EventEmitter();
    const program = new Command().exitOverride();
    const command = registerEmulatorCommand(program, { log: (line) => lines.push(line), signals });
    const faults = new URL('../../../examples/faults.json', import.meta.url).pathname;
    const listGateways = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'x-amz-target': 'StorageGateway_20130630.ListVolumeRecoveryPoints',
          'content-type': 'application/x-amz-json-1.1',
        },
        body: JSON.stringify({ GatewayARN: 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-0A1B2C3D' }),
      });

    // Act
    const running = program.parseAsync(
      ['emulator', '--port', '0', '--fleet', 'examples/fleet.json', '--faults', faults],
      { from: 'user' },
    );
    await waitForLines(lines, 3);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0] ?? '')?.[1] ?? '';
    const statuses = [];
    for (let call = 0; call < 3; call += 1) statuses.push((await listGateways(url)).status);
    signals.emit('SIGINT');
    await running;

    // Assess
    expect(statuses).toEqual([400, 400, 200]);
    expect(command.helpInformation()).not.toContain(DEMO_FLEET_PATH);
    expect(command.helpInformation()).toContain('--faults <file>');
  });

  it('exits 2 naming --faults and the rule at fault when the fault file is not a list of rules', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'faults-'));
    const bad = path.join(dir, 'faults.json');
    await writeFile(bad, JSON.stringify([{ operation: 'ListGateways', rate: 2 }]));
    let stderr = '';
    const io = {
      log: () => undefined,
      stderr: { write: (text: string) => (stderr += text) },
      signals: new EventEmitter(),
    };

    // Act
    const code = await runEmulator({ faults: bad, port: 0, snapshotCompletionMs: 0 }, io).finally(() =>
      rm(dir, { recursive: true, force: true }),
    );

    // Assess
    expect(code).toBe(ExitCode.Usage);
    expect(stderr).toContain(`--faults: ${bad} is not a list of fault rules`);
    expect(stderr).toContain('at [0].rate');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('listens on 4599 by default', () => {
    // Prepare
    const program = new Command();

    // Act
    const command = registerEmulatorCommand(program, {});

    // Assess
    expect(command.getOptionValue('port')).toBe(4599);
  });
});
