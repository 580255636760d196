/**
 * tRPC set-up shared by the routers: the root instance, `router` and `publicProcedure`.
 *
 * Subscriptions stream over server-sent events. The server pings an idle stream so that
 * proxies keep it open while a slow forward pass runs.
 */
import { initTRPC } from '@trpc/server';

export interface Context {
  /** Request id for log lines; one per HTTP request. */
  requestId: string;
}

export function createContext(): Context {
  return { requestId: crypto.randomUUID() };
}

const t = initTRPC.context<Context>().create({
  // No client reconnect on inactivity: a reconnected `generate` would start the run again.
  sse: { ping: { enabled: true, intervalMs: 10_000 } },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
