"""Rendering an offline plan as text (terminal), JSON (machines) and Markdown (pull requests).

All three are deterministic (sorted resources, simulated IDs replaced by resource names), so
they can be compared with golden files.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rcim.infra.plan import InfraPlan
    from rcim.infra.policies import Violation
    from rcim.infra.resources import Assessed, IngressRule

HIDDEN_INPUTS = frozenset({"name", "labels", "rules"})
WORLD_PREFIXES = ("0.0.0.0/0", "::/0")


def plan_as_json(plan: InfraPlan) -> dict[str, Any]:
    names = _names_by_id(plan)
    return {
        "env": plan.env,
        "project": plan.project,
        "change": plan.change,
        "passed": plan.passed,
        "summary": _summary_counts(plan),
        "resources": [
            {
                "type": item.resource.type,
                "name": item.resource.name,
                "kind": item.facts.kind,
                "labels": item.facts.labels,
                "inputs": resolved_inputs(item, names),
            }
            for item in plan.resources
        ],
        "violations": [_violation_json(v) for v in plan.violations],
        "outputs": plan.outputs,
    }


def plan_as_text(plan: InfraPlan) -> str:
    names = _names_by_id(plan)
    rows = [
        (short_type(i.resource.type), i.resource.name, key_inputs(i, names)) for i in plan.resources
    ]
    width_type = max((len(r[0]) for r in rows), default=4)
    width_name = max((len(r[1]) for r in rows), default=4)
    lines = [f"infra plan for {plan.env} (project {plan.project}, change {plan.change or 'none'})"]
    lines += [f"  {t:<{width_type}}  {n:<{width_name}}  {k}".rstrip() for t, n, k in rows]
    lines.append("")
    lines += [_violation_text(v) for v in plan.violations]
    lines.append(summary_line(plan))
    return "\n".join(lines) + "\n"


def plan_as_markdown(plan: InfraPlan) -> str:
    names = _names_by_id(plan)
    verdict = "passed" if plan.passed else "failed"
    lines = [
        f"## Platform plan: {plan.env}",
        "",
        f"**Policy check {verdict}**: {summary_line(plan)}",
        "",
    ]
    if plan.violations:
        lines += ["| level | policy | resource | problem | fix |", "|---|---|---|---|---|"]
        lines += [
            f"| {v.level} | {v.policy} | `{v.resource}` | {_cell(v.message)} | {_cell(v.fix)} |"
            for v in plan.violations
        ]
        lines.append("")
    lines += [
        f"<details><summary>{len(plan.resources)} resources</summary>",
        "",
        "| type | name | key inputs |",
        "|---|---|---|",
    ]
    lines += [
        f"| {short_type(i.resource.type)} | {i.resource.name} | {_cell(key_inputs(i, names))} |"
        for i in plan.resources
    ]
    lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def summary_line(plan: InfraPlan) -> str:
    counts = _summary_counts(plan)
    return (
        f"{counts['resources']} resources ({counts['servers']} servers, {counts['volumes']} "
        f"volumes); {counts['mandatory']} mandatory and {counts['advisory']} advisory "
        "policy violation(s)"
    )


def short_type(token: str) -> str:
    """``hcloud:index/server:Server`` -> ``hcloud:Server``; other tokens unchanged."""
    package, _, rest = token.partition(":")
    if "/" in rest:
        return f"{package}:{rest.rsplit(':', 1)[-1]}"
    return token


def resolved_inputs(item: Assessed, names: dict[str, str]) -> dict[str, Any]:
    """The inputs with simulated IDs replaced by the names of the resources they refer to."""
    return {key: _resolve(key, value, names) for key, value in sorted(item.resource.inputs.items())}


def key_inputs(item: Assessed, names: dict[str, str]) -> str:
    """One line of the inputs that matter when reviewing a plan."""
    parts = [
        f"{key}={_flat(value)}"
        for key, value in resolved_inputs(item, names).items()
        if key not in HIDDEN_INPUTS
    ]
    if item.facts.kind == "firewall":
        parts.append("in: " + "; ".join(_rule_text(rule) for rule in item.facts.ingress))
    return " ".join(parts)


def _resolve(key: str, value: Any, names: dict[str, str]) -> Any:  # noqa: ANN401 - input value
    if isinstance(value, dict):
        return {k: _resolve(k, v, names) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_resolve(key, v, names) for v in value]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if key.endswith(("Id", "Ids")) and str(value) in names:
        return names[str(value)]
    return value


def _flat(value: Any) -> str:  # noqa: ANN401 - resolved input value
    if isinstance(value, dict):
        return "{" + " ".join(f"{k}={_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_flat(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _rule_text(rule: IngressRule) -> str:
    sources = "world" if set(rule.sources) & set(WORLD_PREFIXES) else ",".join(rule.sources)
    if rule.ports is None:
        return f"{rule.protocol} from {sources}"
    low, high = rule.ports
    ports = str(low) if low == high else f"{low}-{high}"
    return f"{rule.protocol}/{ports} from {sources}"


def _names_by_id(plan: InfraPlan) -> dict[str, str]:
    return {item.resource.id: item.resource.name for item in plan.resources}


def _summary_counts(plan: InfraPlan) -> dict[str, int]:
    kinds = Counter(item.facts.kind for item in plan.resources)
    levels = Counter(v.level for v in plan.violations)
    return {
        "resources": len(plan.resources),
        "servers": kinds["server"],
        "volumes": kinds["volume"],
        "mandatory": levels["mandatory"],
        "advisory": levels["advisory"],
    }


def _violation_json(violation: Violation) -> dict[str, str]:
    return {
        "policy": violation.policy,
        "level": violation.level,
        "resource": violation.resource,
        "message": violation.message,
        "fix": violation.fix,
    }


def _violation_text(violation: Violation) -> str:
    return (
        f"{violation.level.upper()} {violation.policy}: {violation.resource}: "
        f"{violation.message}\n    fix: {violation.fix}"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
