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

export interface PolicyOptions {
  /** Confidence a proposal needs under the threshold policy. */
  threshold: number;
}

export interface Policy {
  /**
   * Picks the positions to reveal. Count-based policies return `count` candidates (all of
   * them if fewer); the threshold policy ignores `count` unless it equals the number of
   * candidates, which the sampler passes at a block's last step to finish the block.
   */
  select(candidates: Candidate[], count: number, rng: Prng, options: PolicyOptions): Candidate[];
  /** True when the policy, not the schedule, decides how many tokens a step reveals. */
  readonly adaptive?: boolean;
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

const byConfidence = topBy((c) => c.confidence);

/** Every proposal whose confidence reaches the threshold, and at least the most confident one. */
const threshold: Policy = {
  adaptive: true,
  select(candidates, count, rng, options) {
    if (count >= candidates.length) return [...candidates];
    const above = candidates.filter((c) => c.confidence >= options.threshold);
    return above.length > 0 ? above : byConfidence.select(candidates, 1, rng, options);
  },
};

export const POLICIES = {
  random,
  confidence: byConfidence,
  margin: topBy((c) => c.top1 - c.top2),
  entropy: topBy((c) => -c.entropy),
  threshold,
} as const;
export const POLICY_NAMES = ['random', 'confidence', 'margin', 'entropy', 'threshold'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export function getPolicy(name: string): Policy {
  const policy = (POLICIES as Record<string, Policy>)[name];
  if (!policy) throw new Error(`Unknown unmasking policy "${name}": use one of ${POLICY_NAMES.join(', ')}`);
  return policy;
}
