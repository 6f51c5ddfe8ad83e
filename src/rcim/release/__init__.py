"""Release management: the gate and its rules, evidence, calendar, notes."""
