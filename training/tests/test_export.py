import json
import os
from dataclasses import asdict

import onnx
import torch

from training.export import FP32_TOLERANCE, export, parse_args
from training.model import CodeLM, ModelConfig

from .conftest import REPO_ROOT


def write_checkpoint(path):
    torch.manual_seed(0)
    model = CodeLM(ModelConfig(vocab_size=4098, n_layer=2, n_head=2, n_embd=64, max_positions=64))
    torch.save({"model": model.state_dict(), "config": asdict(model.config)}, path)


def export_tiny(tmp_path, weights):
    checkpoint = tmp_path / "tiny.pt"
    write_checkpoint(checkpoint)
    out = tmp_path / weights
    tokenizer = os.path.join(REPO_ROOT, "training", "data", "tokenizer")
    args = ["--checkpoint", str(checkpoint), "--out", str(out), "--id", "tiny-test", "--weights", weights]
    if not os.path.exists(os.path.join(tokenizer, "tokenizer.json")):
        # Fresh clone: take the tokenizer of a shipped model.
        models = os.path.join(REPO_ROOT, "public", "models")
        tokenizer = os.path.join(models, sorted(os.listdir(models))[0])
    return export(parse_args(args + ["--tokenizer", tokenizer])), out


def test_onnx_fp32_matches_pytorch(tmp_path):
    result, out = export_tiny(tmp_path, "fp32")
    assert result["check"]["maxAbsLogitDiff"] <= FP32_TOLERANCE
    graph = onnx.load(str(out / "model.onnx")).graph
    inputs = [i.name for i in graph.input]
    outputs = [o.name for o in graph.output]
    assert inputs == ["input_ids", "position_ids", "past_key_0", "past_value_0", "past_key_1", "past_value_1"]
    assert outputs == ["logits", "key_0", "value_0", "key_1", "value_1"]


def test_onnx_stores_tied_embedding_once(tmp_path):
    _, out = export_tiny(tmp_path, "fp32")
    graph = onnx.load(str(out / "model.onnx")).graph
    big = [i for i in graph.initializer if 4098 in list(i.dims)]
    assert len(big) == 1, [i.name for i in big]


def test_onnx_int8_keeps_top_token(tmp_path):
    result, out = export_tiny(tmp_path, "int8")
    assert result["check"]["maxAbsLogitDiff"] <= 0.5
    assert result["check"]["top1Agreement"] >= 0.8
    manifest = json.load(open(out / "manifest.json"))
    assert manifest["weights"] == "int8"
    assert manifest["specialTokens"] == {"mask": 4096, "eos": 4097, "pad": 4097}
