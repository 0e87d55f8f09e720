import { describe, expect, it } from 'vitest';
import { addressKey } from './address-key.ts';

describe('the key per-address limits count under', () => {
  it.each([
    ['an IPv4 address is its own key', '203.0.113.7', '203.0.113.7'],
    ['an IPv6 address counts by its /64', '2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['another address of the same /64 shares it', '2001:db8:1:2:ffff:1:2:3', '2001:db8:1:2::/64'],
    ['a compressed prefix is expanded', '2001:db8::5', '2001:db8:0:0::/64'],
    ['leading zeros and case do not matter', '2001:0DB8:0001:0002::1', '2001:db8:1:2::/64'],
    ['the unspecified address', '::1', '0:0:0:0::/64'],
    ['an IPv4-mapped address is its IPv4 address', '::ffff:203.0.113.7', '203.0.113.7'],
  ])('%s', (_rule, address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('tells two /64s apart', () => {
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
  });
});
