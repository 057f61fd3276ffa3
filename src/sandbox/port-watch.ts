import type Docker from 'dockerode';
import { interactiveExec } from './docker-exec.js';
import type { OpenPort } from './types.js';

/** How often the watcher in the container looks at its socket table. */
export const PORT_WATCH_INTERVAL_S = 0.2;

/**
 * Runs inside the container for its whole life, as one exec: every interval it reads the LISTEN
 * sockets (`st` 0A) of /proc/net/tcp and tcp6 with shell builtins only and prints `ports <hex>...`
 * when the set changed. The pause is a `read -t` on the exec's stdin, which the host never writes:
 * no process per poll, and closing stdin (EOF) ends the loop at once.
 */
const WATCH_SCRIPT = `
prev=unset
while :; do
  cur=""
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    while read -r _ addr _ st _; do
      [ "$st" = 0A ] && cur="$cur \${addr##*:}"
    done < "$f"
  done
  if [ "$cur" != "$prev" ]; then echo "ports$cur"; prev=$cur; fi
  read -r -t ${PORT_WATCH_INTERVAL_S}
  [ $? -gt 128 ] || exit 0
done
`;

/** A running port watch; `stop` ends the exec in the container. */
export interface PortWatch {
  stop(): void;
  /** Resolves when the watch ends: stopped, or its exec or container went away. */
  readonly ended: Promise<void>;
}

/** `ports 0BB8 1F90` as the numbers 3000 and 8080. */
export function parsePortLine(line: string): Set<number> {
  const ports = new Set<number>();
  if (!line.startsWith('ports')) return ports;
  for (const hex of line.slice('ports'.length).trim().split(/\s+/)) {
    const port = Number.parseInt(hex, 16);
    if (Number.isFinite(port)) ports.add(port);
  }
  return ports;
}

/**
 * Watches which of the published `ports` (container port -> host port) something listens on, and
 * calls `listener` with them whenever that changes. One exec for the container's life instead of
 * one per check.
 */
export function watchPorts(
  container: Docker.Container,
  ports: ReadonlyMap<number, number>,
  listener: (open: OpenPort[]) => void,
): PortWatch {
  let stopped = false;
  let close: (() => void) | undefined;
  const ended = (async () => {
    const { stream, output } = await interactiveExec(
      container,
      ['bash', '--noprofile', '--norc', '-c', WATCH_SCRIPT],
      {},
    );
    close = () => {
      stream.end();
      output.destroy();
    };
    if (stopped) close();
    let buffered = '';
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const listening = parsePortLine(line);
        listener(
          [...ports]
            .filter(([port]) => listening.has(port))
            .map(([port, hostPort]) => ({ port, url: `http://127.0.0.1:${hostPort}` })),
        );
      }
    });
    await new Promise<void>((resolve) => {
      output.on('end', resolve);
      output.on('close', resolve);
      output.on('error', () => resolve());
    });
  })().catch(() => {
    // The container went away before or while the watch started: there is nothing left to watch.
  });
  return {
    stop: () => {
      stopped = true;
      close?.();
    },
    ended,
  };
}
