/**
 * `generate` subscription: runs the sampler on the server and streams its events (start,
 * one per step, done with the trajectory) as they are computed.
 *
 * The input is an experiment config, or `{ config, start }` for a fork that continues
 * another run from a given canvas (lib/fork.ts checks it against the model).
 *
 * When the client unsubscribes, tRPC aborts `signal` and closes this generator. The
 * sampler checks the signal before each step, so the run stops after the forward pass
 * in flight.
 */
import { TRPCError } from '@trpc/server';
import { parseConfig, type ExperimentConfig } from '@/lib/config';
import { parseSampleStart } from '@/lib/fork';
import { checkConfigForModel, sample, SampleAbortedError, type SampleEvent } from '@/lib/sampler';
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
  .subscription(async function* ({ input, signal, ctx }): AsyncGenerator<SampleEvent> {
    const { config } = input;
    const ids = { requestId: ctx.requestId, modelId: config.modelId };
    const model = await loadOrReject(config.modelId);

    // A config or fork start this model cannot run (prompt too long, token ids out of range) is the caller's error.
    let fork = {};
    try {
      checkConfigForModel(config, model.runner, model.tokenizer.encode(config.prompt).length);
      if (input.start !== undefined) {
        const { manifest } = model.runner;
        fork = parseSampleStart(input.start, { genLength: config.genLength, vocabSize: manifest.architecture.vocabSize, maskId: manifest.specialTokens.mask });
      }
    } catch (error) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: (error as Error).message, cause: error });
    }

    log.info({ ...ids, genLength: config.genLength, blockSize: config.blockSize, stepsPerBlock: config.stepsPerBlock, fork: input.start !== undefined }, 'generation started');
    let steps = 0;
    let finished = false;
    try {
      for await (const event of sample(model.runner, model.tokenizer, config, { ...fork, manifestHash: model.manifestHash, signal })) {
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
