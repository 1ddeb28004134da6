"""The load benchmark behind `make bench`: seed a large database, serve it as in production,
and measure search, profile pages, index freshness, reindexing and memory.

`python -m scripts.bench --help` lists the options.  The modules that only compute
(stats, mix.misspell, report) import nothing from the application, and neither does the
load generator, whose client processes must start fast and stay small.
"""
