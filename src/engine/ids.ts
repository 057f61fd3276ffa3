import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/**
 * A run id like `run-mir7l2kx0001f3k9q`: fixed-width base36 time, a counter within the millisecond
 * and randomness, so ids sort by creation time and cursor pagination can compare them directly.
 */
export function newRunId(nowMs = Date.now()): string {
  if (nowMs === lastMs) counter++;
  else {
    lastMs = nowMs;
    counter = 0;
  }
  const time = nowMs.toString(36).padStart(9, '0');
  const seq = counter.toString(36).padStart(3, '0');
  const random = randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0');
  return `run-${time}${seq}${random}`;
}

/** A random id for webhook deliveries. */
export const newDeliveryId = (): string => `dlv-${randomBytes(10).toString('hex')}`;
