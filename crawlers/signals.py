"""Signals other apps hook into.

`crawl_run_finished` is sent once a crawl run that created auditions has been recorded and
committed (never for a run that created none). Receivers get:
    sender       the CrawlRun class
    run          the finished CrawlRun (status succeeded, partial, failed or timed_out: a run
                 killed mid-way may still have created auditions before it died)
    audition_ids the ids (UUID) of the auditions this run created
It is sent from the process that ran the crawl task (a `crawl` queue worker, or
`manage.py crawl`): receivers should enqueue their work (`task.delay`) rather than do it inline.
The recommendations' instant alerts are meant to hook here.
"""

from django.dispatch import Signal

crawl_run_finished = Signal()
