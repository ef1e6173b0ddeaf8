#!/usr/bin/env python3
"""Starts an Odoo command as odoo-bin does, for bench_server.py.

A prefork server spawns its websocket worker by running its own script again with the
``gevent`` command. Where gevent cannot start (here: its monkey-patching fails on a
missing distribution), that worker dies at once and the server spawns it again, in a
loop that burns the CPU the benchmark measures. As the server's script, this launcher
then keeps that worker waiting (until the server stops it) instead: the websocket worker
serves the bus, never an import. Elsewhere it runs Odoo unchanged.
"""

import signal
import subprocess
import sys

if sys.argv[1:2] == ["gevent"]:
    check = subprocess.run(
        [sys.executable, "-c", "from gevent import monkey; monkey.patch_all()"],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode:
        reason = (check.stderr.strip().splitlines() or ["?"])[-1]
        sys.stderr.write(f"odoo_launcher: no websocket worker, gevent cannot start here: {reason}\n")
        signal.pause()  # until the server stops it
        sys.exit(0)

import odoo.cli  # only once the command is known: importing it patches for gevent

odoo.cli.main()
