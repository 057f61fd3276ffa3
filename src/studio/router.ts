import { useEffect, useState } from 'preact/hooks';

/** The page's place: `#/runs/<id>` is `{ path: ['runs', '<id>'], query }`. */
export interface Route {
  path: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [pathPart = '', queryPart = ''] = hash.replace(/^#\/?/, '').split('?');
  const path = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  return { path: path.length > 0 ? path : ['runs'], query: new URLSearchParams(queryPart) };
}

/** A link target: `href('runs', id)` is `#/runs/<id>`, with a query when given. */
export function href(...parts: (string | Record<string, string | undefined>)[]): string {
  const segments = parts.filter((p): p is string => typeof p === 'string').map(encodeURIComponent);
  const query = parts.find((p): p is Record<string, string | undefined> => typeof p === 'object');
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value) params.set(name, value);
  const text = params.toString();
  return `#/${segments.join('/')}${text ? `?${text}` : ''}`;
}

export const navigate = (target: string) => {
  location.hash = target.replace(/^#/, '');
};

/** The current route; changes with the address bar's fragment. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
