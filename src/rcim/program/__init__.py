"""The program as code: models of the YAML files, a located loader, and cross-checks."""

from rcim.program.loader import Program, load_program, read_only_model

__all__ = ["Program", "load_program", "read_only_model"]
