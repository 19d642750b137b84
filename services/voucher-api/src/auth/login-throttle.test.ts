import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

describe('LoginThrottle', () => {
  const clock = { now: new Date('2027-03-01T09:00:00Z') };
  const throttle = () =>
    new LoginThrottle({ freeFailures: 3, firstDelaySeconds: 1, maxDelaySeconds: 900 }, () => clock.now);

  it('waits nothing for the first few failures, then doubles up to the longest wait', () => {
    const delays = Array.from({ length: 16 }, (_, index) => throttle().delayMs(index + 1) / 1000);
    expect(delays).toEqual([0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
  });

  it('keeps clients and usernames apart, and a success forgets only its own pair', () => {
    const subject = throttle();
    for (let i = 0; i < 5; i++) subject.recordFailure('anna', '203.0.113.7');
    expect(subject.waitSeconds('anna', '203.0.113.7')).toBe(2);
    expect(subject.waitSeconds('ANNA', '203.0.113.7')).toBe(2);
    expect(subject.waitSeconds('anna', '198.51.100.20')).toBe(0);
    expect(subject.waitSeconds('bo', '203.0.113.7')).toBe(0);
    subject.recordSuccess('anna', '198.51.100.20');
    expect(subject.waitSeconds('anna', '203.0.113.7')).toBe(2);
    subject.recordSuccess('anna', '203.0.113.7');
    expect(subject.waitSeconds('anna', '203.0.113.7')).toBe(0);
  });
});
