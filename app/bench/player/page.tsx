import type { Metadata } from 'next';
import { PlayerBench } from './player-bench';

export const metadata: Metadata = {
  title: 'Player bench · Unmask',
  robots: { index: false },
};

export default function PlayerBenchPage() {
  return <PlayerBench />;
}
