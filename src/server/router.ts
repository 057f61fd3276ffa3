import type { IncomingMessage, ServerResponse } from 'node:http';
import { RunToolsError } from '../api/errors.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body ({} when empty). */
  body: () => Promise<unknown>;
}

/** A handler returns a value to send as JSON (status 200, or 204 for undefined), or handles `res` itself and returns `HANDLED`. */
export type Handler = (ctx: RouteContext) => Promise<unknown>;
export const HANDLED = Symbol('handled');

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
  status: number;
}

/** A small path router: `:name` matches one segment, `*name` the rest of the path. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, status = 200): this {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler, status });
    return this;
  }

  match(
    method: string,
    pathname: string,
  ): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
    const parts = pathname.split('/').filter(Boolean).map(decodeSegment);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

/** A path segment with its percent-escapes decoded; a malformed escape is the client's error, not ours. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RunToolsError(
      'invalid_request',
      `the path segment "${segment}" has a malformed percent-escape; encode "%" as "%25" and other bytes as UTF-8 escapes`,
    );
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i]!;
    if (segment.startsWith('*')) {
      params[segment.slice(1)] = `/${parts.slice(i).join('/')}`;
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.startsWith(':')) params[segment.slice(1)] = part;
    else if (segment !== part) return undefined;
  }
  return parts.length === pattern.length ? params : undefined;
}
