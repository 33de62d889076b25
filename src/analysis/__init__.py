"""multisee analysis library.

The package is cut into five layers, one sub-package each, listed from the bottom up in
:data:`LAYERS`. A module imports only modules of its own layer or of a layer below it
(``tests/test_architecture.py`` checks this, and that there is no import cycle); the README's
table of modules is generated from this list and the docstrings (``analysis.products.layout``).
"""

#: The layers, bottom first: the data model, the measures computed from it, the products people
#: open, the build that executes the notebooks, and the command line.
LAYERS: tuple[str, ...] = ("model", "measures", "products", "build", "cli")
