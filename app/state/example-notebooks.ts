/**
 * Example notebooks opened from the home page's Examples menu. Each is built around the
 * config of a new cell (the first shipped model, the preferred runtime), so it runs on
 * whatever this installation ships. The numbers quoted in the text follow lib/schedules.ts
 * and lib/sampler.ts; the model facts follow docs/TRAINING.md.
 */
import type { ExperimentConfig } from '@/lib/config';
import { NOTEBOOK_VERSION, type Cell, type Notebook } from '@/lib/notebook';
import { newCellId } from './document';
import { EXAMPLE_PROMPTS, EXAMPLE_REPAIRS } from './examples';

export interface ExampleNotebook {
  id: string;
  title: string;
  summary: string;
  build(base: ExperimentConfig): Notebook;
}

const [IS_PALINDROME, PARSE_VERSION, CHUNKS] = EXAMPLE_PROMPTS;
const [MISSPELLED_RETURN, , MISSPELLED_NAME] = EXAMPLE_REPAIRS;

/** Models the edit-training example compares: before and after stage 2. */
export const EDIT_EXAMPLE_MODELS = ['stage1-4x256', 'stage2-4x256'] as const;

function markdown(source: string): Cell {
  return { id: newCellId(), kind: 'markdown', source: source.trim() };
}

function notebook(title: string, cells: Cell[]): Notebook {
  return { version: NOTEBOOK_VERSION, title, cells };
}

const STEP_BY_STEP = `
# Masked diffusion, step by step

An autoregressive model writes code one token at a time, left to right. A **masked
diffusion** model starts from a canvas where every position is \`[MASK]\` and fills it in
over a number of steps, several positions per step and in any order it likes.

## How the model was trained

Training corrupts real code and asks the model to undo it. For a function from the
corpus, draw a noise level *t* between 0 and 1 and replace each token by \`[MASK]\` with
probability γ(*t*); the shipped model uses γ(*t*) = *t*. The model sees the corrupted
sequence and predicts the original token at every masked position. The loss is the
cross-entropy on the masked positions, weighted by γ′(*t*)/γ(*t*): this weighted sum is the
evidence lower bound (ELBO) of masked diffusion, so minimising it fits the data likelihood.

The model in this installation is small: 4 transformer layers, 256 wide, about 4.2 million
parameters, trained on a CPU on Python functions taken from Debian's Python packages, with
a byte-level BPE vocabulary of 4,096 tokens plus \`[MASK]\` and \`[EOS]\`. Expect code that
looks like Python far more often than code that works.

## How sampling runs it backwards

1. The prompt (a signature and a docstring) runs through the model once, and its keys and
   values go into a cache.
2. The canvas of *generation length* masks is cut into **blocks** of *block size* tokens,
   decoded left to right.
3. Inside a block, each **step** runs the block through the model once. For every masked
   position the model proposes a token: the most probable one at temperature 0.
4. The **schedule** says how many positions this step reveals; the **unmasking policy** says
   which. The *confidence* policy takes the proposals with the highest probability.
5. The last step of a block reveals whatever is still masked. The finished block runs once
   more so that the cache holds keys and values of its final tokens.
6. Generation stops after the first block that contains \`[EOS]\`.
`;

const STEP_BY_STEP_AFTER = `
## What to look at

- **Tokens**: scrub through the steps. Hatched cells are masked, highlighted cells were
  revealed by the current step, and the shade of a settled cell is the model's confidence.
- **Order**: the step at which each position settled. Kendall τ near 1 means the model
  filled the block roughly left to right; near 0 means no left-to-right order.
- **Forward passes**: one for the prompt, one per step, and one cache pass per finished
  block except the last. With 64 tokens in blocks of 16 and 8 steps per block, that is at
  most 1 + 32 + 3 = 36 passes for 64 tokens. A run that writes \`[EOS]\` in an early block
  stops there and needs fewer.

## Try this

- Set *steps per block* to 16, one token per step, then to 2. Fewer steps means more tokens
  decided per pass, and with the same model usually worse code.
- Switch the policy to *random*: positions are then revealed in no particular order, and the
  confidence of each step's reveals drops.
- Fork the run: pause the player, click a few cells, choose **Remask** and **Continue**. The
  model decodes those positions again, this time seeing every other token.
`;

const SCHEDULES_INTRO = `
# Comparing noise schedules

Inside a block, the schedule fixes how many masked tokens each step reveals. A schedule is
a function *f*(*r*) from progress *r* through the block's steps (0 to 1) to the fraction of
the block still masked, with *f*(0) = 1 and *f*(1) = 0. Step *s* of *S* reveals enough tokens
to bring the block to round(*L* · (1 − *f*(*s*/*S*))) revealed tokens, and at least one.

For a block of *L* = 16 tokens in *S* = 8 steps the reveals per step are:

| schedule | *f*(*r*) | tokens revealed per step |
|---|---|---|
| linear | 1 − *r* | 2 2 2 2 2 2 2 2 |
| cosine | cos(π*r*/2) | 1 1 1 2 2 3 3 3 |
| log-linear | log(1 + 99(1 − *r*)) / log 100 | 1 1 1 1 1 1 1 9 |
| geometric | (100⁻ʳ − 0.01) / 0.99 | 7 4 2 2 1 |

Cosine, from MaskGIT, reveals few tokens while the block is mostly masked and the model
knows least, and more once it has context. Geometric does the opposite: most tokens in the
first steps. It also finishes the block after 5 of its 8 steps, so it needs fewer forward
passes. Log-linear holds back until the last step, which reveals more than half the block
at once.

The compare cell below runs the same prompt, seed and model with four schedules. Its
players share one playback position, so the same step is shown in every run.
`;

const SCHEDULES_AFTER = `
## Reading the comparison

- The **schedule chart** overlays the masked fraction per step of every run. The shape of
  each curve is the table above, repeated once per block.
- In the **metrics table**, *forward passes per token* and *steps* differ only where a
  schedule ends a block early (geometric). Tokens/s largely follows the number of passes.
- The final code differs because a token revealed early becomes context for every later
  step: a schedule that commits many tokens while the block is mostly masked commits them
  with less context.

Change the seed of all four runs together to see which differences persist.
`;

const BLOCKS_INTRO = `
# Block size, KV cache and speed

The model was trained with **block-causal attention**: each training window was cut into
blocks of a random size, and a position attends to its own block and to the clean tokens of
earlier blocks. At inference, a finished block never changes again, so its keys and values
can be computed once and cached. Each later step only runs the current block, of *block
size* tokens, against that cache. Because training saw every block size (the whole window
in a quarter of the cases, otherwise a log-uniform size from 1 token up to the window),
block size is a free knob at inference.

A block as long as the generation is **whole-sequence decoding**: every step runs the whole
canvas, and only the prompt is cached.

What changes with the block size, for a fixed number of steps per block:

- **Steps**: a 64-token canvas in blocks of 8 has 8 blocks; at 8 steps per block that is 64
  steps, one token each. In one block of 64 it is 8 steps of 8 tokens.
- **Cost per step**: the window is the block, so a step over 8 tokens costs less than a
  step over 64, and the cache makes the rest of the canvas free to attend to.
- **Cache passes**: each finished block except the last costs one extra pass to cache it.

The sweep below runs a grid of block sizes and steps per block over two prompts and plots
throughput against the fraction of completions that parse as Python. Points on the
**Pareto front** are those no other point beats on both.
`;

const BLOCKS_COMPARE = `
## Same number of steps, different blocks

The compare cell below gives both runs up to 32 denoising steps for 64 tokens, two tokens
per step. One decodes the whole sequence in one block of 64 with 32 steps; the other uses 4
blocks of 16 with 8 steps each, and stops after the first block that contains \`[EOS]\`,
so a short completion needs fewer. The blockwise run pays 3 cache passes but runs every step
over a quarter of the tokens. Compare their tokens/s and forward passes per token, and
the generation order: whole-sequence decoding may fill the end of the canvas before its
start, while blocks force a coarse left-to-right order.
`;

const EDITS_INTRO = `
# What edit training changes

A masked diffusion model trained as in stage 1 only ever predicts tokens at \`[MASK]\`
positions. Every token it can see was, in training, a correct token of the original code,
so it learns to trust whatever is on the canvas: once a wrong token is revealed, nothing in
its training asks it to take that token back.

**Stage 2** of Seed Diffusion continues training with a second kind of corruption. Before
masking, a window gets *k* = ⌊*L*·α⌋ token edits, α drawn from 0 to 0.1: insertions,
deletions and substitutions, the window keeping its length. The loss then asks for the
original token at **every** position, masked or not. A substituted token must be replaced,
and after an insertion or a deletion the tokens that follow must shift back. The sampler
can use this: with **edits** on, a visible token is replaced whenever the model gives
another token a probability above the edit threshold.

This notebook runs the stage-1 model (\`stage1-4x256\`) and the stage-2 model
(\`stage2-4x256\`, stage 1 plus 450 steps of edit training) side by side on the same
inputs. Both ship with Unmask; docs/TRAINING.md says how they were trained.

The first comparison repairs a function with a misspelled keyword. The canvas is the given
code plus a few \`[EOS]\` slots, with no masks; each step is one pass that may edit any token,
and the run stops when a pass edits nothing.
`;

const EDITS_MIDDLE = `
## Reading a repair

- The **Edits** tab lists every change as a substitution, insertion or deletion of the
  visible text. A repair that works changes the broken token and little else.
- A stage-1 model with edits on tends to "fix" correct tokens too: its probabilities at
  unmasked positions were never trained, so a confident wrong guess passes the threshold.
- Raise the edit threshold of both runs to 0.8 and run again: fewer edits, and the ones
  left are those the model is surest of.

The second repair is a misspelled variable name at the end of a longer function, which
needs the context of the whole body.
`;

const EDITS_COMPLETION = `
## Edits while completing

Edits also apply during ordinary completion: at each step, tokens revealed at earlier steps
may be replaced when the model, now seeing more of the block, prefers another token, and a
final pass over each finished block may edit once more. The comparison below completes the
same function with edits on for both models.

The measured difference between the two models (repair@1 on held-out functions with one to
five injected edits, and every other metric) is in docs/MODELS.md, produced by
\`npm run eval\`.
`;

export const EXAMPLE_NOTEBOOKS: ExampleNotebook[] = [
  {
    id: 'step-by-step',
    title: 'Masked diffusion step by step',
    summary: 'What the model learned, how the sampler unmasks a canvas, and one experiment to scrub through.',
    build: (base) =>
      notebook('Masked diffusion step by step', [
        markdown(STEP_BY_STEP),
        {
          id: newCellId(),
          kind: 'experiment',
          title: 'One function, 64 tokens in blocks of 16',
          config: { ...base, prompt: IS_PALINDROME.prompt, genLength: 64, blockSize: 16, stepsPerBlock: 8, schedule: 'cosine', policy: 'confidence', seed: 0 },
        },
        markdown(STEP_BY_STEP_AFTER),
      ]),
  },
  {
    id: 'schedules',
    title: 'Comparing noise schedules',
    summary: 'Linear, cosine, log-linear and geometric schedules on the same prompt and seed.',
    build: (base) => {
      const config: ExperimentConfig = { ...base, prompt: CHUNKS.prompt, genLength: 48, blockSize: 16, stepsPerBlock: 8, policy: 'confidence', seed: 3 };
      return notebook('Comparing noise schedules', [
        markdown(SCHEDULES_INTRO),
        {
          id: newCellId(),
          kind: 'compare',
          title: 'Four schedules, one prompt',
          configs: (['linear', 'cosine', 'log-linear', 'geometric'] as const).map((schedule) => ({ ...config, schedule })),
        },
        markdown(SCHEDULES_AFTER),
      ]);
    },
  },
  {
    id: 'blocks',
    title: 'Block size, KV cache and speed',
    summary: 'A sweep over block size and steps per block, and whole-sequence against blockwise decoding.',
    build: (base) => {
      const config: ExperimentConfig = { ...base, prompt: PARSE_VERSION.prompt, genLength: 64, schedule: 'linear', policy: 'confidence', seed: 0 };
      return notebook('Block size, KV cache and speed', [
        markdown(BLOCKS_INTRO),
        {
          id: newCellId(),
          kind: 'sweep',
          title: 'Block size × steps per block',
          base: { ...config, stepsPerBlock: 8, blockSize: 16 },
          x: { field: 'blockSize', values: [8, 16, 32, 64] },
          y: { field: 'stepsPerBlock', values: [4, 8] },
          prompts: [PARSE_VERSION.prompt, CHUNKS.prompt],
        },
        markdown(BLOCKS_COMPARE),
        {
          id: newCellId(),
          kind: 'compare',
          title: 'Whole sequence against blocks of 16',
          configs: [
            { ...config, blockSize: 64, stepsPerBlock: 32 },
            { ...config, blockSize: 16, stepsPerBlock: 8 },
          ],
        },
      ]);
    },
  },
  {
    id: 'edit-training',
    title: 'What edit training changes',
    summary: 'The stage-1 and stage-2 models side by side on repairs and on completions with edits on.',
    build: (base) => {
      const repair = (code: string): ExperimentConfig => ({
        ...base,
        start: { kind: 'repair', code },
        edits: true,
        editThreshold: 0.5,
        stepsPerBlock: 4,
        temperature: 0,
        seed: 0,
      });
      const pair = (config: ExperimentConfig) => EDIT_EXAMPLE_MODELS.map((modelId) => ({ ...config, modelId }));
      return notebook('What edit training changes', [
        markdown(EDITS_INTRO),
        { id: newCellId(), kind: 'compare', title: `Repair: ${MISSPELLED_RETURN.name}`, configs: pair(repair(MISSPELLED_RETURN.code)) },
        markdown(EDITS_MIDDLE),
        { id: newCellId(), kind: 'compare', title: `Repair: ${MISSPELLED_NAME.name}`, configs: pair(repair(MISSPELLED_NAME.code)) },
        markdown(EDITS_COMPLETION),
        {
          id: newCellId(),
          kind: 'compare',
          title: 'Completion with edits on',
          configs: pair({
            ...base,
            prompt: CHUNKS.prompt,
            genLength: 48,
            blockSize: 16,
            stepsPerBlock: 8,
            schedule: 'linear',
            policy: 'confidence',
            edits: true,
            editThreshold: 0.9,
            temperature: 0,
            seed: 0,
          }),
        },
      ]);
    },
  },
];
