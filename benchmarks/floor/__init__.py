"""The floor for the load benchmark: a bare Django view behind Django's default middleware.

Served by the same gunicorn as the site, so that every page's throughput is
reported as a ratio to what Django itself reaches on the same machine in the
same run.
"""
