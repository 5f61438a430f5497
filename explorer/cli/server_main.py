"""`python -m explorer.cli.server_main voila|jupyterlab ARGS...`: the dashboard's server, started
without the one import that makes Jupyter's servers slow to start.

`jupyter_server` loads `jsonschema`'s format checkers for its event schemas, and `jsonschema`
imports `rfc3987_syntax` when it is installed (it comes with `jsonschema[format-nongpl]`), which
builds some thirty parsers at import: 1.3-1.8 s of CPU before the server listens, spent on the
`iri` and `iri-reference` formats that no schema these servers validate uses. Blocked here
(`jsonschema` skips a checker whose import fails), the server answers that much sooner; nothing
else changes. Kernels are separate processes and never import it.
"""

from __future__ import annotations

import runpy
import sys

SERVERS = ("voila", "jupyterlab")
NOT_IMPORTED = ("rfc3987_syntax",)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in SERVERS:
        sys.exit(f"usage: python -m explorer.cli.server_main {{{'|'.join(SERVERS)}}} ARGS...")
    for name in NOT_IMPORTED:
        sys.modules.setdefault(name, None)  # `import` of a None entry raises ImportError
    module, sys.argv = argv[0], [argv[0], *argv[1:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
