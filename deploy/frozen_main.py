"""Entry point of the bundled app: one executable answering to two names.

``/usr/bin/inspector`` and ``/usr/bin/inspector-app`` are links to the same frozen executable (one copy of
Python and Qt); the name it was started under picks the command line tool or the desktop app.
"""

from __future__ import annotations

import os
import sys

CLI_NAME = "inspector"


def main() -> int:
    name = os.path.basename(sys.argv[0]) if sys.argv else ""
    if name == CLI_NAME:
        from inspector_app.cli.main import main as cli_main

        cli_main()
        return 0
    from inspector_app.gui.app import main as gui_main

    return gui_main()


if __name__ == "__main__":
    sys.exit(main())
