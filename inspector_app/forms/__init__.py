"""Checklist files: parsing and validation (``loader``), and the loaded set of checklists (``library``)."""

from inspector_app.forms.errors import FormError, FormProblem

__all__ = ["FormError", "FormProblem"]
