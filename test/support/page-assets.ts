/**
 * The URLs a browser would request to render `html`: every `src=`, `href=` and CSS `url()`, less the
 * `data:` ones, which it never asks a server for (the page's empty icon, which keeps a blocked site from
 * being asked for /favicon.ico).
 *
 * @example
 * requestedUrls('<link rel="icon" href="data:,"><img src="/a.png">') // ['/a.png']
 */
export function requestedUrls(html: string): string[] {
  const urls = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]*)|url\(\s*["']?([^"')]*)/gi)].map(
    (match) => match[1] ?? match[2] ?? '',
  );
  return urls.filter((url) => !url.startsWith('data:'));
}
