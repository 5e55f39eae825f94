"""The ``inspector`` command line: thin commands over the services."""
