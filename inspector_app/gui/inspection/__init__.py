"""Filling one inspection record: start dialog, checklist editor, photos, orders, signatures, finalizing.

Hosted by the main window (``gui/main_window.py``); every change goes straight to
:class:`~inspector_app.services.inspections.InspectionService` — there is no save button.
"""
