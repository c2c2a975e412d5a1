"""``X-Query-Count`` response header: how many SQL queries a request issued.

Enabled in the test profile only (``config/settings/test.py``). The browser journeys read it on
every page they open and hold each page to a fixed cap, so an N+1 anywhere on a journey fails a
test even where no unit test measures that page.
"""

from django.db import connections


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountHeaderMiddleware:
    header = "X-Query-Count"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        wrappers = [connections[alias].execute_wrapper(counter) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response[self.header] = str(counter.count)
        return response
