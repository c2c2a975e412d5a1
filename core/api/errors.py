"""One mapping from errors to HTTP answers (API.md, "Errors").

- DRF validation errors: 400 ``{field: [messages]}`` (DRF's own shape);
- :class:`core.errors.DomainError` subclasses: their status with ``{detail, code}``, ``code``
  being the string value of a :class:`core.errors.ErrorCode` (409 ``invalid_transition`` for a
  state that does not allow the action; 404 ``not_found`` for
  :class:`~core.errors.NotInScope`, an object outside the caller's scope), and for
  :class:`~core.errors.ImportRejected` 400 ``{detail, code, errors: [{line, column, message}]}``;
- Django's ``ValidationError`` raised by ``full_clean`` in a service: 400 ``{field: [messages]}``.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": str(exc.code), **exc.details}
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
            if "__all__" in body:
                body["non_field_errors"] = body.pop("__all__")
        else:
            body = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data["code"] = getattr(detail, "code", None) or "error"
    return response
