import type { Orientation } from './image-set.ts';

const MOBILE = /Mobi|Android|iPhone|iPod|Opera Mini|IEMobile/i;

/**
 * The orientation `auto` means for this visitor: portrait on a phone, landscape elsewhere,
 * from the Sec-CH-UA-Mobile client hint when the browser sends it, else the User-Agent.
 */
export function autoOrientation(headers: Headers): Orientation {
  const hint = headers.get('sec-ch-ua-mobile');
  if (hint === '?1') return 'portrait';
  if (hint === '?0') return 'landscape';
  return MOBILE.test(headers.get('user-agent') ?? '') ? 'portrait' : 'landscape';
}
