"""One mapping from errors to HTTP answers (API.md "Errors"), exercised through real DRF views
that call a real service, so the global exception handler is what answers."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import override
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from core.errors import (
    DomainError,
    ErrorCode,
    ImportRejected,
    NotEligible,
    NotInScope,
    RoleRequired,
)
from org import services
from org.models import Staff
from tests.factories import StaffFactory, UserFactory, make_ladder

pytestmark = pytest.mark.django_db


class PromoteView(APIView):
    """A minimal workflow action: appoint the staff member to L2 on the posted date."""

    def post(self, request, pk):
        staff = Staff.objects.get(pk=pk)
        appointment = services.appoint(
            actor=request.user,
            staff=staff,
            level=staff.track.levels.get(code="L2"),
            start=dt.date.fromisoformat(request.data["start"]),
            reason="promotion",
        )
        return Response({"id": appointment.pk}, status=201)


class RaisingView(APIView):
    exc: Exception

    def get(self, request):
        raise self.exc


class InputView(APIView):
    class Input(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000)
        code = serializers.CharField()

    def post(self, request):
        self.Input(data=request.data).is_valid(raise_exception=True)
        return Response({})


def call(view, method="get", data=None, **kwargs):
    factory = APIRequestFactory()
    request = getattr(factory, method)("/x/", data or {}, format="json")
    force_authenticate(request, user=UserFactory(username="caller"))
    response = view(request, **kwargs)
    response.render()
    return response


def test_invalid_transition_from_a_service_is_409_with_detail_and_code():
    l1, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2024, 5, 1))
    view = PromoteView.as_view()

    ok = call(view, "post", {"start": "2025-05-01"}, pk=staff.pk)
    assert ok.status_code == 201
    again = call(view, "post", {"start": "2025-05-01"}, pk=staff.pk)
    assert again.status_code == 409
    body = again.data
    assert set(body) == {"detail", "code"}
    assert body["code"] == "invalid_transition"
    assert "2025-05-01" in body["detail"]
    assert staff.appointments.count() == 2  # nothing written by the refused call


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (NotEligible("not yet"), 409, "not_eligible"),
        (RoleRequired("office only"), 403, "permission_denied"),
        (NotInScope(), 404, "not_found"),
        (DomainError("no", code=ErrorCode.SESSION_FULL), 400, "session_full"),
    ],
)
def test_domain_errors_map_to_their_status_and_code(exc, status, code):
    view = type("V", (RaisingView,), {"exc": exc}).as_view()
    response = call(view)
    assert response.status_code == status
    assert response.data == {"detail": str(exc), "code": code}


def test_rejected_import_is_400_with_every_bad_row():
    errors = [
        {"line": 2, "column": "employee_no", "message": "unknown employee number"},
        {"line": 5, "column": "value", "message": "not a number"},
    ]
    view = type("V", (RaisingView,), {"exc": ImportRejected(errors)}).as_view()
    response = call(view)
    assert response.status_code == 400
    assert response.data["code"] == "import_rejected"
    assert response.data["errors"] == errors


def test_django_validation_error_from_a_service_is_400_by_field():
    exc = DjangoValidationError({"code": ["taken"], "__all__": ["inconsistent"]})
    view = type("V", (RaisingView,), {"exc": exc}).as_view()
    response = call(view)
    assert response.status_code == 400
    assert response.data == {"code": ["taken"], "non_field_errors": ["inconsistent"]}


def test_serializer_errors_are_400_with_a_list_of_messages_per_field():
    response = call(InputView.as_view(), "post", {"year": 1999})
    assert response.status_code == 400
    assert set(response.data) == {"year", "code"}
    assert all(isinstance(m, str) for msgs in response.data.values() for m in msgs)


def test_drf_errors_carry_a_code_too(api):
    response = api.get("/api/v1/org/staff/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_code_outside_the_closed_list_is_refused():
    with pytest.raises(ValueError, match="no_such_code"):
        DomainError("no", code="no_such_code")  # type: ignore[arg-type]


def test_not_in_scope_is_also_a_404_for_pages():
    assert isinstance(NotInScope(), Http404)
    with override("en"):
        assert str(NotInScope()) == "Not found."
