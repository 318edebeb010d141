"""Sphinx configuration.

MyST Markdown pages, the API from docstrings, and reference pages generated from
the package's data at build time.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import smtpreply  # noqa: E402

project = "smtpreply"
author = "The smtpreply developers"
copyright = "2026, The smtpreply developers"  # noqa: A001 - Sphinx's name
release = smtpreply.__version__
version = release

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "README.md"]
myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True
html_theme = "alabaster"
html_title = "smtpreply"
suppress_warnings = ["myst.xref_missing"]
nitpicky = False


def _generate(app: object) -> None:
    from build_reference import write_reference

    write_reference(HERE / "reference" / "generated")


def setup(app: object) -> None:
    """Generate the reference pages when the build starts."""
    app.connect("builder-inited", _generate)  # type: ignore[attr-defined]
