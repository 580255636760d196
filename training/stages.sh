#!/usr/bin/env bash
# Train and export the models after stage 1: stage 2 (edit augmentation), stage 3
# (constrained-order distillation), stage 4 (on-policy step reduction) and the same-size
# autoregressive baseline, with the settings of the shipped models. Every step resumes from
# its checkpoint under training/work/, so rerun the script after an interruption.
# Needs the stage-1 weights (training/work/stage1/model.pt from training/stage1.sh).
# Usage: bash training/stages.sh [stage2|stage3|stage4|ar ...]   (default: all four, in that order)
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=.
PY=/usr/bin/python3
W=training/work
STAGE1="stage1-mask:$W/stage1:Masked (absorbing-state) diffusion ELBO, linear schedule, block-causal with random block sizes"
STAGE2="stage2-edit:$W/stage2:Stage-1 ELBO plus restoring k = floor(L*alpha) token edits, alpha ~ U[0, 0.1], on half of the batches"
STAGE3_PATHS="stage3-paths:$W/stage3/paths:Decoding orders traced with the stage-2 model (random, confidence, left to right), best by ELBO kept"
STAGE3="stage3-distill:$W/stage3:Fine-tuned on the states along the kept orders, 1/t weights, a quarter of the batches stage-2 loss"
STAGE4="stage4-onpolicy:$W/stage4:Confidence-threshold self-decoding rewarded by tokens per pass, verified by syntax and stage-2 likelihood"

[ -f "$W/stage1/model.pt" ] || { echo "missing $W/stage1/model.pt: run bash training/stage1.sh first" >&2; exit 1; }

stage2() {
  $PY -m training.train --work "$W/stage2" --objective edit --init "$W/stage1/model.pt" --steps 450 \
    --tokens-per-batch 6144 --lr 3e-4 --warmup 30 --edit-fraction 0.5 --eval-every 150 --log-every 25 --checkpoint-every 50
  $PY -m training.export --checkpoint "$W/stage2/model.pt" --out public/models/stage2-4x256 --id stage2-4x256 \
    --name "Stage 2 · edit augmentation · 4×256" --stage "$STAGE1" --stage "$STAGE2"
}

stage3() {
  $PY -m training.distill all --work "$W/stage3" --init "$W/stage2/model.pt" --windows 768 --chunk 64 --path-steps 6 \
    --steps 200 --tokens-per-batch 6144 --lr 2e-4 --eval-every 100 --log-every 10
  $PY -m training.export --checkpoint "$W/stage3/model.pt" --out public/models/stage3-4x256 --id stage3-4x256 \
    --name "Stage 3 · constrained-order distillation · 4×256" --stage "$STAGE1" --stage "$STAGE2" --stage "$STAGE3_PATHS" --stage "$STAGE3"
}

stage4() {
  $PY -m training.onpolicy --work "$W/stage4" --init "$W/stage3/model.pt" --verifier "$W/stage2/model.pt" --steps 50 \
    --tau 0.9 --block-sizes 8,16,32 --decode-tokens 4096 --lr 2e-4 --eval-every 25
  $PY -m training.export --checkpoint "$W/stage4/model.pt" --out public/models/stage4-4x256 --id stage4-4x256 \
    --name "Stage 4 · on-policy step reduction · 4×256" --stage "$STAGE1" --stage "$STAGE2" --stage "$STAGE3_PATHS" --stage "$STAGE3" --stage "$STAGE4"
}

ar() {
  $PY -m training.train --work "$W/ar" --objective ar --steps 600 --tokens-per-batch 6144 --eval-every 200 --log-every 25
  $PY -m training.export --checkpoint "$W/ar/model.pt" --out public/models/ar-4x256 --id ar-4x256 --objective autoregressive \
    --name "Autoregressive baseline · 4×256" \
    --stage "ar-next-token:$W/ar:Next-token cross-entropy, causal attention, same data and tokenizer as the diffusion models"
}

for stage in ${@:-stage2 stage3 stage4 ar}; do
  case "$stage" in
    stage2 | stage3 | stage4 | ar) "$stage" ;;
    *) echo "unknown stage '$stage': use stage2, stage3, stage4 or ar" >&2; exit 2 ;;
  esac
done
