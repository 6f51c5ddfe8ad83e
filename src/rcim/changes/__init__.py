"""Change enablement (ITIL 4): change records, their lifecycle, risk, approvals and signatures.

Records are YAML files under ``release/changes/`` (``model``, ``records``); what happens to them
lives in the store (``tracking``, ``approvals``); risk is the weighted scoring of ``risk`` over
inputs measured by ``assessment``; signed approvals use OpenSSH (``signatures``).
"""
