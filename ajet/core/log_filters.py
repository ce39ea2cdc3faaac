"""Logging helpers referenced from settings.LOGGING."""

import logging

from django.core.exceptions import PermissionDenied


class ExpectedDenialFilter(logging.Filter):
    """django.request logs a PermissionDenied with its traceback; a refusal is expected, so one line is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
