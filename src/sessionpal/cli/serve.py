"""`sessionpal serve`: the app in a browser tab on this computer (see browser/server.py)."""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_OK, EXIT_USAGE, CommandError, Commands, add_command, app_home, home_option


def add_parsers(commands: Commands) -> None:
    serve = add_command(
        commands,
        "serve",
        summary="run the app in a browser tab on this computer",
        description="Run the app in a browser tab on this computer: it prints the link to open. Each tab runs its own app on the same "
        "data home; the link carries a secret that changes at each start. Ctrl+C stops it (every open tab saves first).",
        examples=[("", "opens the client list in your browser"), ('--client "Sam Lee" --no-browser', "prints the link to Sam Lee's session screen")],
    )
    home_option(serve, top=False)
    serve.add_argument("--client", metavar="NAME", default=argparse.SUPPRESS, help="each tab opens this client's session screen")
    serve.add_argument("--port", type=int, default=0, help="the port to listen on (default: any free one)")
    serve.add_argument(
        "--host",
        help="listen on this address instead of this computer's loopback (127.0.0.1 and ::1); "
        "the notes then travel unencrypted unless you put TLS in front (see docs/browser.md)",
    )
    serve.add_argument("--no-browser", action="store_true", help="only print the link; do not open a browser")
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a name a reverse proxy in front of it passes on as Host (repeatable); others are turned away",
    )
    serve.add_argument("--code", action="store_true", default=argparse.SUPPRESS, help="a client created by --client is stored under a code")
    serve.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    home = app_home(args)
    if not 0 <= args.port <= 65535:
        raise CommandError(f"--port {args.port}: a port is a number from 1 to 65535 (0: any free one)", EXIT_USAGE)
    try:
        from ..browser import server
    except ImportError as error:
        raise CommandError(f"browser mode needs textual-serve, which is not installed ({error.name}): pip install textual-serve") from None
    if args.host and not server.is_loopback(args.host):
        print(
            f"sessionpal: warning: listening on {args.host}, beyond this computer. Anyone who can reach it and has the link "
            "can open your notes, and they travel unencrypted: put it behind TLS (an SSH tunnel or a reverse proxy, see docs/browser.md).",
            file=sys.stderr,
        )
    try:
        sockets = server.listen(args.host, args.port)
    except OSError as error:
        where = f"{args.host or '127.0.0.1'}:{args.port or 'any port'}"
        raise CommandError(f"cannot listen on {where}: {error.strerror or error}") from None
    # One argument each (--client=NAME): a name starting with "-" is never read as an option.
    argv = [sys.executable, "-m", "sessionpal", f"--home={home.root}"]
    client = getattr(args, "client", None)
    if client:
        argv.append(f"--client={client}")
    if getattr(args, "code", False):
        argv.append("--code")
    server.serve(argv, sockets, open_browser=not args.no_browser, out=sys.stdout, host=args.host, extra_hosts=args.allow_host)
    return EXIT_OK
