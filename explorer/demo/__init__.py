"""The bundled demo: `build` writes a realistic-looking recordings tree; its wire `shapes` also
build the test fixtures; `scenarios_models` and `scenarios_workflows` say which tests recorded
what.
"""
