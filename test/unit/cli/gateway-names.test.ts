import { GatewayNames } from '../../../src/cli/gateway-names.ts';

const GATEWAY = 'arn:aws:storagegateway:us-east-1:111122223333:gateway/sgw-12A3456B';

describe('GatewayNames', () => {
  it('puts a known name beside every ID of its gateway, once, and leaves unknown gateways as they are', () => {
    // Prepare
    const names = new GatewayNames();
    names.learn(GATEWAY, 'branch-office-1');
    names.learn('sgw-99999999', '');

    // Act
    const line = names.label('snapshot snap-1 of vol-1 on sgw-12A3456B (recovery point 2026) and sgw-23B4567C');
    const twice = names.label(names.label('gateway sgw-12A3456B: listed'));

    // Assess
    expect(line).toBe(
      'snapshot snap-1 of vol-1 on sgw-12A3456B (branch-office-1) (recovery point 2026) and sgw-23B4567C',
    );
    expect(twice).toBe('gateway sgw-12A3456B (branch-office-1): listed');
    expect(names.label('sgw-99999999 and sgw-12A3456Bx')).toBe('sgw-99999999 and sgw-12A3456Bx');
  });

  it('changes nothing before any name is known', () => {
    expect(new GatewayNames().label('gateway sgw-12A3456B')).toBe('gateway sgw-12A3456B');
  });
});
