/**
 * tRPC client for the browser: `generate` (a subscription) streams over server-sent
 * events through httpSubscriptionLink, every other call goes through httpBatchLink.
 *
 * Use `trpcClient` directly from stores and plain functions, or `useTRPC()` from
 * `app/trpc-provider.tsx` inside React components.
 */
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { AppRouter } from '@/server/routers';

export type { AppRouter };

/** Base URL of the tRPC endpoint: same origin in the browser, localhost during server rendering. */
export function trpcUrl(): string {
  if (typeof window !== 'undefined') return '/api/trpc';
  return `http://localhost:${process.env.PORT ?? 3000}/api/trpc`;
}

export function createUnmaskClient(url = trpcUrl()) {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url }),
        false: httpBatchLink({ url }),
      }),
    ],
  });
}

export const trpcClient = createUnmaskClient();
