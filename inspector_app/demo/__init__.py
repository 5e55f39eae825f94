"""Demo data for ``inspector demo`` and ``inspector-app --demo``: a fake Jingmen registry, demo accounts and
demo inspections made through the real services. A shipped feature, not a use case: only the entry points
(``cli``, ``gui``) import it (an import-linter contract says so)."""
