"""sessionpal: a calm terminal companion for live coaching calls.

Kept tiny on purpose: importing the package (as the CLI does) must not pull in
Textual or read any files.
"""

__version__ = "0.1.0"
