"""Errors raised by the core and the layers above it.

Every error carries a message in Simplified Chinese that can be shown to a user as is.
"""

from __future__ import annotations


class InspectorError(Exception):
    """Base class: ``str(err)`` is a user-facing Chinese message (what, where, how to fix)."""


class ValidationError(InspectorError):
    """Input that breaks a domain rule (bad identifier, missing party, bad answer value...)."""


class LifecycleError(InspectorError):
    """A record transition that its lifecycle does not allow (e.g. editing a finalized record)."""


class PermissionDenied(InspectorError):
    """The current user's role does not allow this action."""


class NotFound(InspectorError):
    """A business, record, form or attachment that does not exist."""
