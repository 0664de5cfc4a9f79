"""``python -m newsdossier``: the same CLI as the ``newsdossier`` command."""

from .cli import app

app(prog_name="newsdossier")
