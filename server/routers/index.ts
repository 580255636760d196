/** The application router, served at /api/trpc. Its type is what the client imports. */
import { router } from '../trpc';
import { generateProcedure } from './generate';
import { modelsRouter } from './models';

export const appRouter = router({
  models: modelsRouter,
  generate: generateProcedure,
});

export type AppRouter = typeof appRouter;
