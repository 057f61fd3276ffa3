import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentRunData, WebhookEvent } from '../api/types.js';
import type { WebhookStore } from '../store/webhooks.js';
import { newDeliveryId } from './ids.js';

export const SIGNATURE_HEADER = 'x-runtools-signature';
export const DELIVERY_HEADER = 'x-runtools-delivery';
export const EVENT_HEADER = 'x-runtools-event';

/** The body of a webhook POST. */
export interface WebhookBody {
  id: string;
  event: WebhookEvent;
  createdAt: string;
  run: Pick<
    AgentRunData,
    | 'id'
    | 'deployment'
    | 'runtimeSlug'
    | 'runtimeVersion'
    | 'status'
    | 'statusReason'
    | 'output'
    | 'error'
    | 'devUrl'
    | 'files'
    | 'usage'
    | 'turns'
    | 'createdAt'
    | 'startedAt'
    | 'endedAt'
    | 'durationMs'
  >;
}

/** `RUNTOOLS_WEBHOOK_SECRET`, else a secret generated once into the data dir (mode 0600). */
export function loadWebhookSecret(dataDir: string, env: Record<string, string | undefined>): string {
  if (env.RUNTOOLS_WEBHOOK_SECRET) return env.RUNTOOLS_WEBHOOK_SECRET;
  const file = path.join(dataDir, 'webhook-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** `sha256=<hex>` of the raw body: what a receiver recomputes with the shared secret to verify. */
export const signBody = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export interface WebhookSenderOptions {
  secret: string;
  store: WebhookStore;
  /** Delays between attempts; one attempt more than there are delays. */
  backoffMs?: number[];
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * Delivers run webhooks in the background: signed, retried with backoff on failure, each attempt
 * recorded. A receiver that is down never blocks or fails a run.
 */
export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly closing = new AbortController();
  private readonly backoffMs: number[];

  constructor(private readonly options: WebhookSenderOptions) {
    this.backoffMs = options.backoffMs ?? [1_000, 4_000, 15_000, 60_000];
  }

  send(url: string, event: WebhookEvent, run: AgentRunData): void {
    const now = (this.options.now ?? (() => new Date()))();
    const body: WebhookBody = {
      id: newDeliveryId(),
      event,
      createdAt: now.toISOString(),
      run: {
        id: run.id,
        deployment: run.deployment,
        runtimeSlug: run.runtimeSlug,
        runtimeVersion: run.runtimeVersion,
        status: run.status,
        statusReason: run.statusReason,
        output: run.output,
        error: run.error,
        devUrl: run.devUrl,
        files: run.files,
        usage: run.usage,
        turns: run.turns,
        createdAt: run.createdAt,
        startedAt: run.startedAt,
        endedAt: run.endedAt,
        durationMs: run.durationMs,
      },
    };
    const delivery = this.deliver(url, body).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  private async deliver(url: string, body: WebhookBody): Promise<void> {
    const text = JSON.stringify(body);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'runtools-webhooks/1',
      [SIGNATURE_HEADER]: signBody(this.options.secret, text),
      [DELIVERY_HEADER]: body.id,
      [EVENT_HEADER]: body.event,
    };
    for (let attempt = 1; attempt <= this.backoffMs.length + 1; attempt++) {
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body: text,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
        statusCode = response.status;
        await response.body?.cancel();
        if (!response.ok) error = `receiver answered ${response.status}`;
      } catch (e) {
        error = (e as Error).message;
      }
      this.options.store.record({
        // One row per attempt; the delivery id the receiver sees stays the same across retries.
        id: `${body.id}:${attempt}`,
        runId: body.run.id,
        event: body.event,
        url,
        attempt,
        statusCode,
        error,
        createdAt: new Date().toISOString(),
      });
      if (!error) return;
      const delay = this.backoffMs[attempt - 1];
      if (delay === undefined) return;
      if (this.closing.signal.aborted) return;
      await new Promise<void>((resolve) => {
        // The closing signal lives as long as the server: remove the listener once the wait is over.
        const done = () => {
          clearTimeout(timer);
          this.closing.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, delay * (0.8 + Math.random() * 0.4));
        this.closing.signal.addEventListener('abort', done);
      });
      if (this.closing.signal.aborted) return;
    }
  }

  /** Waits for deliveries under way, retries included (tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Shutdown: attempts under way finish, no retry waits. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.drain();
  }
}
