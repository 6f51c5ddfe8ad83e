"""Test support for teams using rcim: a pytest plugin that points testinfra at the hosts of an
rcim environment (``pytest --rcim-env staging``)."""
