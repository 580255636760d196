import os
import sys

import pytest
import torch

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, REPO_ROOT)
torch.set_num_threads(2)


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory):
    """The real corpus built once from the installed Debian packages."""
    from training.corpus import build

    out = tmp_path_factory.mktemp("corpus")
    build(str(out))
    return str(out)


@pytest.fixture(scope="session")
def shipped_model_dir():
    """The first shipped model folder under public/models."""
    models = os.path.join(REPO_ROOT, "public", "models")
    folders = sorted(d for d in os.listdir(models) if os.path.exists(os.path.join(models, d, "manifest.json"))) if os.path.isdir(models) else []
    if not folders:
        pytest.fail("no model under public/models: export one with `python3 -m training.export`")
    return os.path.join(models, folders[0])
