import { describe, expect, it } from 'vitest';
import { sha256Hex, toHex } from './hex.ts';

describe('hex', () => {
  it('writes every byte as two lowercase digits', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const hex = toHex(bytes);
    expect(hex).toHaveLength(512);
    expect(hex.slice(0, 8)).toBe('00010203');
    expect(hex.slice(-4)).toBe('feff');
    expect(toHex(bytes.buffer)).toBe(hex);
    expect(toHex(new Uint8Array())).toBe('');
  });

  it('gives SHA-256 as its usual hex digest', async () => {
    expect(await sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
