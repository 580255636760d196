#!/usr/bin/env bash
# Rebuild the shipped stage-1 model from scratch: corpus, tokenizer, tokenized samples,
# training (resumable: rerun the script after an interruption) and ONNX export.
# Usage: bash training/stage1.sh [STEPS]   (default 1800 steps of 6,144 tokens, as shipped)
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=.
PY=/usr/bin/python3
STEPS="${1:-1800}"
WORK=training/work/stage1
ID=stage1-4x256

[ -f training/data/corpus/corpus.json ] || $PY -m training.corpus --out training/data/corpus
[ -f training/data/tokenizer/tokenizer.json ] || $PY -m training.tokenizer --corpus training/data/corpus --out training/data/tokenizer
[ -f training/data/tokens/train.npz ] || $PY -m training.data
mkdir -p "$WORK"
$PY -m training.train --work "$WORK" --steps "$STEPS" --tokens-per-batch 6144 --eval-every 400 --log-every 25
$PY -m training.export --checkpoint "$WORK/model.pt" --out "public/models/$ID" --id "$ID" \
  --name "Stage 1 · masked diffusion · 4×256" \
  --stage "stage1-mask:$WORK:Masked (absorbing-state) diffusion ELBO, linear schedule, block-causal with random block sizes"
