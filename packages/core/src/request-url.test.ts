import { describe, expect, it } from 'vitest';
import { requestUrl } from './request-url.ts';

describe('a request’s parsed URL', () => {
  it('is parsed once and the same object for the rest of the request', () => {
    const request = new Request('https://blog.example/hello-world/?p=1');
    const url = requestUrl(request);
    expect(url.pathname).toBe('/hello-world/');
    expect(url.search).toBe('?p=1');
    expect(requestUrl(request)).toBe(url);
  });

  it('is another object for another request at the same address', () => {
    const address = 'https://blog.example/';
    expect(requestUrl(new Request(address))).not.toBe(requestUrl(new Request(address)));
  });
});
