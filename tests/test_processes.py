"""The processes a build starts go without optional imports no build needs, and still read notebooks."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_notebooks_validate_without_the_slow_optional_import() -> None:
    script = textwrap.dedent("""
        from kurswerk.processes import skip_slow_optional_imports
        skip_slow_optional_imports()
        import sys, nbformat, jsonschema
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
        nbformat.validate(notebook)
        nbformat.reads(nbformat.writes(notebook), as_version=4)
        assert sys.modules["rfc3987_syntax"] is None, "the module was imported after all"
        assert "iri" not in jsonschema.FormatChecker.checkers, "jsonschema went without it"
        print("ok")
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-2000:]
