"""inspector_app — offline inspection checklists, records and PDF reports for market-supervision inspectors."""

__version__ = "0.1.0"
