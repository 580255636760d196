/** tRPC over HTTP: queries as batched GETs, `generate` as a server-sent event stream. */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '@/server/routers';
import { createContext } from '@/server/trpc';
import { isLogged, logger, markLogged } from '@/server/logger';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const log = logger.child({ module: 'trpc' });

function handler(request: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext,
    onError({ error, path, ctx }) {
      // tRPC 11.22 reports a failed subscription to onError more than once, and the
      // routers log their own failures with the model id: log each error once.
      if (isLogged(error)) return;
      markLogged(error);

      // Client errors (invalid input, unknown model) are warnings because the caller caused them.
      const ids = { path, code: error.code, requestId: ctx?.requestId };
      if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ ...ids, err: error }, 'tRPC call failed');
      else log.warn({ ...ids, message: error.message }, 'tRPC call rejected');
    },
  });
}

export { handler as GET, handler as POST };
