/**
 * Data of the confidence heatmap: for each step, the confidence of the token the model
 * proposed at each position that was masked when the step began (the trajectory's
 * `maskedConfidence`), and the positions the step revealed, remasked or edited.
 */
import type { TokenEvent, Trajectory } from '@/lib/trajectory';

export interface ConfidenceCell {
  /** 1-based step. */
  step: number;
  position: number;
  /** Probability of the proposed token, in [0, 1]. */
  confidence: number;
}

export interface StepMark {
  step: number;
  position: number;
  kind: TokenEvent['kind'];
}

export interface ConfidenceMatrix {
  cells: ConfidenceCell[];
  marks: StepMark[];
  steps: number;
  /** Positions [0, positions) the matrix spans: the decoded canvas, or further if a step touched more. */
  positions: number;
}

export function confidenceMatrix(trajectory: Pick<Trajectory, 'steps' | 'final'>): ConfidenceMatrix {
  const cells: ConfidenceCell[] = [];
  const marks: StepMark[] = [];
  let positions = trajectory.final.decodedLength;

  trajectory.steps.forEach((step, i) => {
    const { positions: masked, values } = step.maskedConfidence;
    if (masked.length !== values.length) {
      throw new Error(`Step ${i + 1} has ${masked.length} masked positions but ${values.length} confidence values: the trajectory is invalid.`);
    }
    masked.forEach((position, k) => {
      cells.push({ step: i + 1, position, confidence: values[k] });
      positions = Math.max(positions, position + 1);
    });
    for (const event of step.events) {
      marks.push({ step: i + 1, position: event.position, kind: event.kind });
      positions = Math.max(positions, event.position + 1);
    }
  });

  return { cells, marks, steps: trajectory.steps.length, positions };
}
