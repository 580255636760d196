/**
 * Labels of the runs in a compare cell, built from the config fields where the runs differ
 * ("schedule=cosine"), so the legend shows what each run changes. Runs that differ only in
 * the prompt, or not at all, are lettered.
 */
import type { ExperimentConfig } from '@/lib/config';

const LABEL_FIELDS: (keyof ExperimentConfig)[] = [
  'modelId',
  'schedule',
  'policy',
  'blockSize',
  'stepsPerBlock',
  'genLength',
  'threshold',
  'exponent',
  'temperature',
  'topP',
  'remaskProbability',
  'seed',
  'runtime',
];

const NAMED_FIELDS: (keyof ExperimentConfig)[] = ['modelId', 'schedule', 'policy', 'runtime'];

/** Fields shown in labels at most; past this, a label becomes hard to read in a legend. */
const MAX_FIELDS = 3;

export function compareLabels(configs: ExperimentConfig[]): string[] {
  const differing = LABEL_FIELDS.filter((field) => new Set(configs.map((c) => JSON.stringify(c[field] ?? null))).size > 1).slice(0, MAX_FIELDS);
  const letters = configs.map((_, i) => String.fromCharCode(65 + i));
  if (differing.length === 0) return letters.map((letter) => `run ${letter}`);
  // A schedule, policy, model or runtime name reads on its own; a number needs its field.
  const named = differing.length === 1 && NAMED_FIELDS.includes(differing[0]);
  const labels = configs.map((c) => differing.map((field) => (named ? String(c[field]) : `${field}=${c[field]}`)).join(', '));
  // Equal labels (runs that differ only in a field not shown) get their letter.
  return labels.map((label, i) => (labels.indexOf(label) !== labels.lastIndexOf(label) ? `${letters[i]}: ${label}` : label));
}
