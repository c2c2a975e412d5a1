"""The pay API is in the OpenAPI schema."""

from drf_spectacular.generators import SchemaGenerator


def test_pay_endpoints_are_in_the_schema():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in (
        "/api/v1/pay/policies/",
        "/api/v1/pay/coefficients/",
        "/api/v1/pay/deferral-rules/",
        "/api/v1/pay/runs/",
        "/api/v1/pay/runs/{id}/compute/",
        "/api/v1/pay/runs/{id}/approve/",
        "/api/v1/pay/runs/{id}/payroll/",
        "/api/v1/pay/lines/",
        "/api/v1/pay/lines/{id}/",
        "/api/v1/pay/instalments/",
    ):
        assert path in paths
