"""The Django tasks the worker runs (``manage.py db_worker``)."""

from django_tasks import task


@task()
def run_job_chunk(job_id: int, items: list, run: int = 1) -> dict:
    """Work through one chunk of a job's items (see :func:`jobs.services.run_chunk`)."""
    from . import services

    return services.run_chunk(job_id=job_id, items=items, run=run)
