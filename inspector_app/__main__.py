"""``python -m inspector_app`` opens the desktop app (same as ``inspector-app``)."""

from inspector_app.gui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
