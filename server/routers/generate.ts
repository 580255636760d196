/**
 * `generate` subscription: runs the sampler on the server and streams its events (start,
 * one per step, done with the trajectory) as they are computed.
 *
 * The input is an experiment config, or `{ config, start }` for a fork that continues
 * another run from a given canvas (lib/fork.ts checks it against the model). The config's
 * own `start` field chooses completion, infill or repair (lib/canvas.ts).
 *
 * When the client unsubscribes, tRPC aborts `signal` and closes this generator. The
 * sampler checks the signal before each step, so the run stops after the forward pass
 * in flight.
 */
import { TRPCError } from '@trpc/server';
import { prepareRun, sampleFromStart, type ResolvedRun, type RunEvent } from '@/lib/canvas';
import { parseConfig, type ExperimentConfig } from '@/lib/config';
import { SampleAbortedError } from '@/lib/sampler';
import { logger, markLogged } from '../logger';
import { loadModel, UnknownModelError, type LoadedModel } from '../models';
import { publicProcedure } from '../trpc';

const log = logger.child({ module: 'generate' });

function parseServerConfig(input: unknown): ExperimentConfig {
  const config = parseConfig(input);
  if (config.runtime !== 'server') {
    throw new Error(`Invalid experiment config: runtime: this server runs configs with runtime "server", got "${config.runtime}"`);
  }
  return config;
}

/** Parses the request: a bare config, or a config with the start of a fork (checked once the model is known). */
function parseGenerateInput(input: unknown): { config: ExperimentConfig; start?: unknown } {
  if (typeof input === 'object' && input !== null && 'config' in input) {
    const { config, start, ...rest } = input as { config: unknown; start?: unknown };
    const extra = Object.keys(rest);
    if (extra.length > 0) throw new Error(`Invalid generate request: unknown field ${extra.join(', ')}; send { config, start }`);
    return { config: parseServerConfig(config), start };
  }
  return { config: parseServerConfig(input) };
}

async function loadOrReject(modelId: string): Promise<LoadedModel> {
  try {
    return await loadModel(modelId);
  } catch (error) {
    const code = error instanceof UnknownModelError ? 'NOT_FOUND' : 'INTERNAL_SERVER_ERROR';
    throw new TRPCError({ code, message: (error as Error).message, cause: error });
  }
}

export const generateProcedure = publicProcedure
  .input(parseGenerateInput)
  .subscription(async function* ({ input, signal, ctx }): AsyncGenerator<RunEvent> {
    const { config } = input;
    const ids = { requestId: ctx.requestId, modelId: config.modelId };
    const model = await loadOrReject(config.modelId);

    // A config or fork start this model cannot run (prompt or code too long, invalid spans,
    // token ids out of range) is the caller's error.
    let run: ResolvedRun;
    try {
      run = prepareRun(config, model.runner, model.tokenizer, input.start);
    } catch (error) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: (error as Error).message, cause: error });
    }

    const { genLength, blockSize, stepsPerBlock } = run.config;
    const start = config.start?.kind ?? 'completion';
    log.info({ ...ids, start, genLength, blockSize, stepsPerBlock, fork: input.start !== undefined }, 'generation started');
    let steps = 0;
    let finished = false;
    try {
      for await (const event of sampleFromStart(model.runner, model.tokenizer, run, { manifestHash: model.manifestHash, signal })) {
        if (event.type === 'step') steps++;
        if (event.type === 'done') {
          finished = true;
          const { stats } = event.trajectory;
          log.info({ ...ids, steps, forwardPasses: stats.forwardPasses, tokensPerSecond: Math.round(stats.tokensPerSecond) }, 'generation finished');
        }
        yield event;
      }
    } catch (error) {
      if (error instanceof SampleAbortedError) return;
      log.error({ ...ids, steps, err: error }, 'generation failed');
      markLogged(error);
      throw error;
    } finally {
      // Reached on a normal end, on an error, and when the client unsubscribes mid-run.
      if (!finished && signal?.aborted) log.info({ ...ids, steps }, 'generation stopped by the client');
    }
  });
