"""The `sessionpal` command, as a package: `main` is the entry point (sessionpal.cli:main).

The modules import one way only, so there is no cycle, not even through imports
inside functions:

    app                            the parser (its grouped --help), main() and its dispatch, launching the app
      -> data, packs, patterns,    the subcommands, each adding its parsers (add_command: a summary and
         practice, records, serve  examples for each) and handlers
        -> common                  what they share: exit codes, errors, the parser class, the home, clients

Only argparse and the core are imported at start-up; Textual is imported when
(and only when) the app is launched, so `sessionpal packs check` and friends start fast.
"""

# The module is app.py, not main.py: this function would hide a module called main.
from .app import main

__all__ = ["main"]
