"""rcim: Release & Continuity Improvement Manager.

Runs an ITIL 4 / ISO/IEC 20000-1 release and continuity program as code.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rcim")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
