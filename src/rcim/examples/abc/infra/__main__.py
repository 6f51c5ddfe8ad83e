"""ABC Logistics platform: one Pulumi stack per environment of rcim.yaml.

Everything the platform contains comes from the service catalog (``services/*.yaml``) and the
stack settings in ``Pulumi.<env>.yaml``; see ``rcim.infra.design`` for the rules. The change in
force (``RCIM_CHANGE_ID``) labels every resource, so a server can be traced to its change.
"""

import os
from pathlib import Path

from rcim.infra.program import build_environment

build_environment(Path(__file__).absolute().parent.parent, change=os.environ.get("RCIM_CHANGE_ID"))
