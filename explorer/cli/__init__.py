"""`main` (the command group), one module per command, `options`, `loading` (progress), `output`
(`--out`) and `errors` (the one error handler).
"""
