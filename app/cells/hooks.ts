/** Hooks shared by the cell containers. */
import { useCallback, useEffect, useMemo } from 'react';
import type { PlayerTrajectory } from '@/components/player/TrajectoryPlayer';
import { useNotebookStore } from '../state/store';
import { viewTrajectory, type RunView } from '../state/run-view';

/** Returns the text of a token id for the model's tokenizer, or "#id" while it loads. */
export function useTokenText(modelId: string): (id: number) => string {
  const tokenizer = useNotebookStore((s) => s.tokenizers[modelId]);
  const fetchTokenizer = useNotebookStore((s) => s.fetchTokenizer);
  const known = useNotebookStore((s) => s.models.some((m) => m.manifest.id === modelId));
  // A cell whose model appeared after the model list loaded (a link, an example) requests
  // the tokenizer itself; fetchTokenizer skips models already requested.
  useEffect(() => {
    if (tokenizer === undefined && known) void fetchTokenizer(modelId);
  }, [tokenizer, known, modelId, fetchTokenizer]);
  return useCallback((id: number) => tokenizer?.tokenText(id) ?? `#${id}`, [tokenizer]);
}

/** Returns the run as the player and the charts take it, or nulls before the run's start event. */
export function useRunTrajectories(view: RunView) {
  const trajectory = useMemo(() => viewTrajectory(view), [view]);
  const { genLength, maskId, eosId, blocks, steps, initialCanvas, promptIds } = view;
  // Only a finished run's `final` is passed: it marks the positions never decoded after an
  // early stop at [EOS]. The partial `final` of a running view has decodedLength 0.
  const final = view.trajectory?.final;
  const player = useMemo<PlayerTrajectory | null>(
    () =>
      genLength === 0
        ? null
        : { genLength, maskId, eosId, blocks, steps, promptIds, ...(initialCanvas ? { initialCanvas } : {}), ...(final ? { final } : {}) },
    [genLength, maskId, eosId, blocks, steps, initialCanvas, promptIds, final],
  );
  return { trajectory, player };
}

export function isBusy(view: RunView | undefined): boolean {
  return view !== undefined && (view.status === 'queued' || view.status === 'loading' || view.status === 'running');
}

/** Returns the StatusBar props of a run. */
export function statusBarProps(view: RunView) {
  const { status, backend, load, stepCount, maskedCount, genLength, forwardPasses, tokensPerSecond, error } = view;
  return { status, backend, load, stepCount, maskedCount, genLength, forwardPasses, tokensPerSecond, error };
}
