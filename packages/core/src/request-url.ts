// Parsed once per request: the router's middleware, rules and proxy all read the same URL.
const parsed = new WeakMap<Request, URL>();

/**
 * The request's URL, parsed on first use and the same object for the rest of the request.
 * Shared, so never to be changed: copy it (`new URL(url)`) to build another.
 */
export function requestUrl(request: Request): URL {
  let url = parsed.get(request);
  if (!url) {
    url = new URL(request.url);
    parsed.set(request, url);
  }
  return url;
}
