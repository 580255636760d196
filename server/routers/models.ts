/** `models.list`: the shipped models with their manifests. */
import { publicProcedure, router } from '../trpc';
import { listModels } from '../models';

export const modelsRouter = router({
  list: publicProcedure.query(async () => {
    const models = await listModels();
    return models.map(({ manifest, manifestHash }) => ({ manifest, manifestHash }));
  }),
});
