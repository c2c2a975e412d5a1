"""The Django tasks the worker runs (``manage.py db_worker``)."""

from django_tasks import task


@task()
def send_deliveries(delivery_ids: list[int]) -> dict:
    """Send queued deliveries (see :func:`notifications.services.deliveries_send`)."""
    from . import services

    return services.deliveries_send(ids=delivery_ids)
