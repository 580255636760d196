'use client';
/**
 * Player bench: opens a trajectory JSON file (downloaded from the notebook or written by
 * `npm run generate --out`) in the trajectory player, alone on the page. The player's
 * end-to-end tests and its frame-rate benchmark (bench/player-fps.spec.ts) load their
 * trajectories here. Token labels come from the tokenizer of the trajectory's model.
 * With "Replay as a live run" checked, the steps arrive one by one, as from a running model.
 */
import { useEffect, useMemo, useState, type ChangeEvent } from 'react';
import { createPlaybackStore, type PlaybackStore } from '@/components/player/playback';
import { TrajectoryPlayer, type PlayerTrajectory } from '@/components/player/TrajectoryPlayer';
import { createTokenizer, type CodeTokenizer } from '@/lib/tokenizer';
import { parseTrajectory, type Trajectory } from '@/lib/trajectory';
import styles from './player-bench.module.css';

async function fetchTokenizer(modelId: string): Promise<CodeTokenizer> {
  const base = `/models/${encodeURIComponent(modelId)}/`;
  const manifest = await fetch(`${base}manifest.json`);
  if (!manifest.ok) throw new Error(`loading manifest.json of model ${modelId} failed: HTTP ${manifest.status}`);
  const file = ((await manifest.json()) as { files?: { tokenizer?: string } }).files?.tokenizer ?? 'tokenizer.json';
  const response = await fetch(`${base}${file}`);
  if (!response.ok) throw new Error(`loading ${file} of model ${modelId} failed: HTTP ${response.status}`);
  return createTokenizer((await response.json()) as Record<string, unknown>);
}

interface Loaded {
  name: string;
  trajectory: Trajectory;
  tokenizer: CodeTokenizer | null;
  playback: PlaybackStore;
  live: boolean;
}

// Steps per second of a live replay.
const LIVE_REPLAY_RATE = 20;

/** Returns how many steps a live replay of `loaded` has delivered so far. */
function useReplayedSteps(loaded: Loaded | null): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    setCount(0);
    if (loaded === null || !loaded.live) return;
    const total = loaded.trajectory.steps.length;
    const timer = setInterval(() => setCount((n) => (n < total ? n + 1 : n)), 1000 / LIVE_REPLAY_RATE);
    return () => clearInterval(timer);
  }, [loaded]);
  return count;
}

export function PlayerBench() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [replayLive, setReplayLive] = useState(false);
  const replayed = useReplayedSteps(loaded);

  const open = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file === undefined) return;
    setMessage(`Reading ${file.name}…`);
    try {
      const trajectory = parseTrajectory(JSON.parse(await file.text()));
      let tokenizer: CodeTokenizer | null = null;
      try {
        tokenizer = await fetchTokenizer(trajectory.modelId);
      } catch (error) {
        console.warn(`[player-bench] loading the tokenizer of model ${trajectory.modelId} failed, so cells show token ids:`, error);
      }
      setLoaded({ name: file.name, trajectory, tokenizer, playback: createPlaybackStore(), live: replayLive });
      setMessage(null);
    } catch (error) {
      setMessage(`${file.name} is not a trajectory: ${(error as Error).message}`);
    }
  };

  const tokenizer = loaded?.tokenizer ?? null;
  const tokenText = useMemo(() => (tokenizer ? tokenizer.tokenText : (id: number) => `#${id}`), [tokenizer]);
  const running = loaded !== null && loaded.live && replayed < loaded.trajectory.steps.length;
  // A running replay passes a new object with the steps so far and no final canvas, as a live run does.
  const playerTrajectory = useMemo<PlayerTrajectory | null>(() => {
    if (loaded === null) return null;
    if (!running) return loaded.trajectory;
    const { genLength, maskId, eosId, blocks, promptIds, steps } = loaded.trajectory;
    return { genLength, maskId, eosId, blocks, promptIds, steps: steps.slice(0, replayed) };
  }, [loaded, running, replayed]);
  return (
    <main className={styles.page}>
      <h1 className={styles.title}>Trajectory player bench</h1>
      <div className={styles.inputs}>
        <label className={styles.input}>
          Open a trajectory JSON file{' '}
          <input type='file' accept='application/json,.json' onChange={open} data-testid='bench-trajectory-file' />
        </label>
        <label className={styles.input}>
          <input type='checkbox' checked={replayLive} onChange={(event) => setReplayLive(event.target.checked)} data-testid='bench-live' />
          Replay as a live run ({LIVE_REPLAY_RATE} steps/s)
        </label>
      </div>
      <p className={styles.status} data-testid='bench-status' role='status'>
        {message ??
          (loaded
            ? `${loaded.name}: ${loaded.trajectory.steps.length} steps over ${loaded.trajectory.genLength} positions, model ${loaded.trajectory.modelId}${tokenizer ? '' : ' (tokenizer not found: cells show token ids)'}`
            : 'No trajectory loaded.')}
      </p>
      {loaded && playerTrajectory && <TrajectoryPlayer key={loaded.name} trajectory={playerTrajectory} tokenText={tokenText} playback={loaded.playback} live={running} />}
    </main>
  );
}
