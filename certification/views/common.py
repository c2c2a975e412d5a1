"""What the page modules share: run a service and turn a refusal into a message."""

from django.contrib import messages

from core.errors import DomainError


def _run(request, fn, success: str, **kwargs) -> bool:
    try:
        fn(actor=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True
