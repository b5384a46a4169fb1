"""``symdiff serve``: a derivative calculator in the browser, served locally.

``server`` answers HTTP (the page's static files and ``POST /api/<name>``), ``workers`` runs each
API request in a worker process with a deadline, ``api`` holds the endpoints and their limits,
and ``plot`` draws plots as SVG.  Only the standard library is needed.
"""
