"""How the install tier runs pip into fresh virtualenvs."""

# What a test imports is compiled when first imported: pip's bytecode pass over every
# installed package takes about half of a fresh install's time and checks nothing.
NO_COMPILE = ["--no-compile"]
NO_COMPILE_ENV = {"PIP_COMPILE": "false"}  # the same, for a pip the test does not call
