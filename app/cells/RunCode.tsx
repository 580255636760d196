'use client';
import { FinalCode } from '@/components/FinalCode';
import { startOf } from '@/lib/canvas';
import { promptForModel } from '@/lib/sampler';
import type { Trajectory } from '@/lib/trajectory';
import { useNotebookStore } from '../state/store';

/**
 * The code a finished run produced. A completion shows the prompt without its trailing
 * blank lines (which the model does not see) and the completion. An infill or repair shows
 * its whole canvas decoded with [MASK] and [EOS] dropped, because an [EOS] the model wrote
 * inside the code does not end the code after it.
 */
export function RunCode({ trajectory, prompt, modelId }: { trajectory: Trajectory | null; prompt: string; modelId: string }) {
  const tokenizer = useNotebookStore((s) => s.tokenizers[modelId]);
  const kind = trajectory ? startOf(trajectory.config).kind : 'completion';
  if (trajectory === null || kind === 'completion') {
    return <FinalCode prompt={promptForModel(trajectory?.config.prompt ?? prompt)} completion={trajectory?.final.completion ?? null} />;
  }
  const code = tokenizer ? tokenizer.decode(trajectory.final.ids) : trajectory.final.completion;
  return <FinalCode prompt='' completion={code} hint={kind === 'infill' ? 'given code, masked spans filled in' : 'repaired code'} />;
}
