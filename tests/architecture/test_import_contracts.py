"""The import contracts in pyproject.toml ([tool.importlinter]: the layers, no SQLAlchemy in the domain or
the use cases, Textual only in the screens, widgets and app) hold, as `lint-imports` in .ci/run checks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def test_the_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is in the test extra: pip install '.[test]'"
    repository = Path(__file__).resolve().parents[2]  # where pyproject.toml is, installed or not
    done = subprocess.run([lint, "--no-cache"], cwd=repository, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "4 kept, 0 broken" in done.stdout
