"""Model and checkpoint files of the fine-tuning stages (training.distill, training.onpolicy).

A resumable checkpoint holds the model, the optimizer, the step, both random generators and
any extra state of the stage; it is written to a temporary file and renamed, so an
interruption never leaves a half-written checkpoint.
"""

import os

import numpy as np
import torch

from training.model import CodeLM, ModelConfig


def load_model(path: str, device) -> CodeLM:
    """Load the weights and config of a model.pt written by a training stage."""
    state = torch.load(path, map_location=device)
    model = CodeLM(ModelConfig(**state["config"])).to(device)
    model.load_state_dict(state["model"])
    return model


def save_resumable(path: str, model, optimizer, step: int, rng: np.random.Generator, generator: torch.Generator, **extra) -> None:
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step,
             "numpy_rng": rng.bit_generator.state, "generator": generator.get_state(), **extra}
    torch.save(state, path + ".tmp")
    os.replace(path + ".tmp", path)


def restore_resumable(path: str, model, optimizer, rng: np.random.Generator, generator: torch.Generator, device) -> dict | None:
    """Restore a checkpoint written by save_resumable when it exists; returns its state (step and extras) or None."""
    if not os.path.exists(path):
        return None
    state = torch.load(path, map_location=device)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    rng.bit_generator.state = state["numpy_rng"]
    generator.set_state(state["generator"])
    print(f"resumed from {path} at step {state['step']}", flush=True)
    return state
