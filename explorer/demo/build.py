"""Bundled demo recordings: a realistic-looking tree the project generates itself.

`write_demo(target)` writes ~90 recordings in the current ogx layout
(`tests/integration/<area>/recordings/<sha256>.json`), deterministically (fixed seed, no clock).
The copy shipped with the package lives in `demo_root()`; regenerate it with
`python -m explorer.demo` (or write elsewhere with `python -m explorer.demo TARGET`).
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from explorer.demo import scenarios_models as demo_scenarios
from explorer.demo import scenarios_workflows as demo_scenarios_more
from explorer.demo.shapes import request_hash

SEED = 20260505


def demo_root() -> Path:
    """The demo tree shipped with the package (index it like any recordings tree)."""
    return Path(__file__).resolve().parent / "data"


class Demo:
    """Collects recordings in memory; `record` names each file by its request hash."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.files: dict[str, dict] = {}

    def record(self, area: str, test_id: str | None, request: dict,
               body_for: Callable[[str], object], streaming: bool,
               models_digest: str | None = None, **response: object) -> str:
        """Add one recording; `body_for` receives the normalized response id (rec-<hash12>).

        Model lists are named `models-<hash>-<digest>.json`, as the recorder names them."""
        digest = request_hash(test_id, request)
        name = f"models-{digest}-{models_digest}.json" if models_digest else f"{digest}.json"
        path = f"tests/integration/{area}/recordings/{name}"
        if path in self.files:
            raise ValueError(f"two demo recordings share {path}")
        self.files[path] = {
            "test_id": test_id, "request": request,
            "response": {"body": body_for("rec-" + digest[:12]), "is_streaming": streaming,
                         **response},
            "id_normalization_mapping": {}}
        return path

    def tokens(self, text: str, jitter: int = 3) -> int:
        """A plausible token count for `text` (about 1.3 tokens a word), never below 1."""
        return max(1, round(len(text.split()) * 1.3) + self.rng.randint(0, jitter))


def build(seed: int = SEED) -> dict[str, dict]:
    """All demo recordings as {relative path: document}, in a fixed order."""
    demo = Demo(seed)
    for scenario in demo_scenarios.SCENARIOS + demo_scenarios_more.SCENARIOS:
        scenario(demo)
    return dict(sorted(demo.files.items()))


def write_demo(target: Path) -> list[Path]:
    """Write the demo tree under `target`; return the files written, sorted."""
    target = Path(target)
    written = []
    for rel, document in build().items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((json.dumps(document, indent=2) + "\n").encode("utf-8"))
        written.append(path)
    return sorted(written)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m explorer.demo [TARGET]  (default: the bundled demo data)")
        return 2
    target = Path(args[0]) if args else demo_root()
    if target.resolve() == demo_root():
        shutil.rmtree(target / "tests", ignore_errors=True)  # our own package data only
    written = write_demo(target)
    print(f"wrote {len(written)} demo recordings under {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
