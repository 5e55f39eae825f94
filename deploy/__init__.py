"""Building the Debian package (scripts/package.sh): PyInstaller spec, bundle plan, .deb assembly."""
