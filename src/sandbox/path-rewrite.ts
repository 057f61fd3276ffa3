import type { SandboxMount } from './types.js';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The local sandbox shows the model the same `/workspace` paths as a container does: sandbox
 * paths in a command become host paths, and host paths in the output become sandbox paths again.
 * A textual rewrite: a path built at run time (`cd /; cd workspace`) is not caught.
 */
export function pathRewriter(mounts: readonly SandboxMount[]): {
  toHost(command: string): string;
  toSandbox(output: string): string;
} {
  const byLength = [...mounts].sort((a, b) => b.containerPath.length - a.containerPath.length);
  const inward = byLength.map((m) => ({
    re: new RegExp(`(?<![\\w./-])${escapeRe(m.containerPath)}(?=$|[/\\s'"\`;:)|&<>])`, 'g'),
    to: m.hostPath,
  }));
  const outward = [...mounts]
    .sort((a, b) => b.hostPath.length - a.hostPath.length)
    .map((m) => ({ re: new RegExp(`${escapeRe(m.hostPath)}(?=$|[^\\w.-])`, 'g'), to: m.containerPath }));
  return {
    toHost: (command) => inward.reduce((s, r) => s.replace(r.re, r.to), command),
    toSandbox: (output) => outward.reduce((s, r) => s.replace(r.re, r.to), output),
  };
}
