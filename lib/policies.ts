/**
 * Unmasking policies: which masked positions a step reveals, given each position's
 * proposed token and the model's distribution there. Each returns `count` positions.
 */
import type { Prng } from './prng';

export interface Candidate {
  /** Canvas position (0 = first generated token). */
  position: number;
  /** Proposed token id (sampled, or argmax when temperature is 0). */
  token: number;
  /** Probability of the proposed token. */
  confidence: number;
  /** Highest and second-highest token probabilities. */
  top1: number;
  top2: number;
  /** Entropy of the distribution in nats. */
  entropy: number;
}

export interface Policy {
  select(candidates: Candidate[], count: number, rng: Prng): Candidate[];
}

/** Sorts by score, highest first; ties go to the leftmost position so runtimes agree. */
function topBy(score: (c: Candidate) => number): Policy {
  return {
    select: (candidates, count) =>
      [...candidates].sort((a, b) => score(b) - score(a) || a.position - b.position).slice(0, count),
  };
}

const random: Policy = {
  select(candidates, count, rng) {
    const pool = [...candidates];
    const chosen: Candidate[] = [];
    while (chosen.length < count && pool.length > 0) {
      chosen.push(pool.splice(rng.nextInt(pool.length), 1)[0]);
    }
    return chosen;
  },
};

export const POLICIES = {
  random,
  confidence: topBy((c) => c.confidence),
  margin: topBy((c) => c.top1 - c.top2),
  entropy: topBy((c) => -c.entropy),
} as const;
export const POLICY_NAMES = ['random', 'confidence', 'margin', 'entropy'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export function getPolicy(name: string): Policy {
  const policy = (POLICIES as Record<string, Policy>)[name];
  if (!policy) throw new Error(`Unknown unmasking policy "${name}": use one of ${POLICY_NAMES.join(', ')}`);
  return policy;
}
