"""Domain core: dataclasses, lifecycle, verdict/grade rules, identifier validators.

Standard library only; imports nothing else of ``inspector_app`` (enforced by import-linter).
"""
