"""`main` (the command group), one module per command, `options`, `loading` (progress), `output`
(`--out`), `pathlist` (`--paths`, `-z`) and `errors` (the one error handler).
"""
