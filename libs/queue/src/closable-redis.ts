// An ioredis client that can always be closed, whatever state its connection is in.
//
// ioredis' disconnect() on a client that is between two reconnection attempts (status "reconnecting":
// its socket is already gone, only the retry timer is left) clears that timer and does nothing else:
// with no socket left to emit "close", the client never reaches "end", its queued commands never
// settle, and whoever waits for "end" waits forever. BullMQ's Worker.close() is such a waiter (it
// disconnects its blocking connection and waits for "end" before it stops the worker's lock-renewal
// and stalled-job timers), so a worker closed while Redis was unreachable, or just back but not yet
// reconnected, never finished closing and its timers kept the process alive. This client finishes such
// a close at once, exactly as ioredis itself does for a client that never connected.
import IORedis, { RedisOptions } from 'ioredis';
import { closeHandler } from 'ioredis/built/redis/event_handler';

/** The ioredis internals a parked client's close touches (the same ones ioredis' own close uses). */
interface Internals {
  manuallyClosing: boolean;
  reconnectTimeout: NodeJS.Timeout | null;
}

export class ClosableRedis extends IORedis {
  /** Clients copied from this one with duplicate(), e.g. the blocking connection of a BullMQ Worker. */
  private readonly copies: ClosableRedis[] = [];

  override duplicate(override?: Partial<RedisOptions>): ClosableRedis {
    const copy = new ClosableRedis({ ...this.options, ...override });
    this.copies.push(copy);
    return copy;
  }

  override disconnect(reconnect = false): void {
    // Already closed: nothing is open. (ioredis would "end" its long-closed socket again and keep a 2 s
    // timer for it, holding the process that long.)
    if (this.status === 'end') return;
    if (!reconnect && this.status === 'reconnecting') {
      const self = this as unknown as Internals;
      self.manuallyClosing = true;
      if (self.reconnectTimeout) clearTimeout(self.reconnectTimeout);
      self.reconnectTimeout = null;
      // No socket is left to close: run ioredis' own close handling now ("close", then "end", and every
      // pending command rejected with "Connection is closed.").
      closeHandler(this)();
      return;
    }
    super.disconnect(reconnect);
  }

  /**
   * Disconnects this client and every copy made of it, now, without waiting for Redis: each reaches
   * "end" (at once when it has no socket, as soon as its socket closes otherwise) and every command still
   * pending on it is rejected.
   */
  disconnectAll(): void {
    for (const client of [this, ...this.copies]) client.disconnect();
  }
}
