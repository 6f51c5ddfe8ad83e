"""OpenSLO alerting objects: notification targets become team contacts, the rest is named.

An SLO's ``alertPolicies`` (names, ``alertPolicyRef`` or inline policies) list conditions and
notification targets. rcim alerts with its own multiwindow burn rates, so an
``AlertCondition`` cannot be imported and is reported. An ``AlertNotificationTarget`` says only
*how* to notify (``target: email``); the address and secret files an Alertmanager receiver
needs come from the target's annotations, ``rcim/<contact field>`` (``rcim/to``,
``rcim/channel`` + ``rcim/api_url_file``, ``rcim/routing_key_file``, ``rcim/url_file``,
``rcim/number``), the fields of the contact kinds of ``rcim.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from rcim.errors import ConfigError
from rcim.monitoring.openslo_docs import inline_document, sub_source
from rcim.program.organization import Contact
from rcim.program.validation import validate_model

if TYPE_CHECKING:
    from rcim.errors import Problem
    from rcim.monitoring.openslo_docs import Document, Kind, Library
    from rcim.program.yamlsource import KeyPath

ANNOTATION_PREFIX = "rcim/"
CONTACT_FIELDS: dict[str, tuple[str, ...]] = {
    "email": ("to",),
    "slack": ("channel", "api_url_file"),
    "pagerduty": ("routing_key_file",),
    "webhook": ("url_file",),
    "phone": ("number",),
}
# Objects that only matter through an SLO: on their own they are reported, not dropped.
_ATTACHED_KINDS = ("SLI", "DataSource", "AlertPolicy", "AlertCondition", "AlertNotificationTarget")
_CONTACT = TypeAdapter(Contact)


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _PolicySpec(_Open):
    conditions: tuple[Any, ...] = Field(min_length=1)
    notificationTargets: tuple[Any, ...] = Field(min_length=1)


class _Condition(_Open):
    kind: str = "burnrate"
    op: str = ""
    threshold: float | None = None
    lookbackWindow: str = ""
    alertAfter: str = ""


class _ConditionSpec(_Open):
    severity: str = ""
    condition: _Condition


class _TargetSpec(_Open):
    target: str
    description: str = ""


@dataclass(frozen=True)
class ImportedTarget:
    """A notification target as a contact for the owner team of ``service``."""

    name: str
    service: str
    contact: Contact
    document: Document


def policy_targets(
    slo: Document, service: str, library: Library
) -> tuple[list[ImportedTarget], list[Problem]]:
    """The contacts the SLO's alert policies notify; conditions and odd targets are named."""
    targets: list[ImportedTarget] = []
    unsupported: list[Problem] = []
    for index, entry in enumerate(slo.spec.get("alertPolicies") or ()):
        path: KeyPath = ("spec", "alertPolicies", index)
        policy = _reference(entry, "alertPolicyRef", "AlertPolicy", slo, path, library)
        spec = validate_model(_PolicySpec, policy.spec, sub_source(policy.source, ("spec",)))
        for number, item in enumerate(spec.conditions):
            where: KeyPath = ("spec", "conditions", number)
            condition = _reference(item, "conditionRef", "AlertCondition", policy, where, library)
            unsupported.append(_condition_problem(condition, policy))
        for number, item in enumerate(spec.notificationTargets):
            where = ("spec", "notificationTargets", number)
            target = _reference(
                item, "targetRef", "AlertNotificationTarget", policy, where, library
            )
            contact = _contact(target)
            if isinstance(contact, str):
                unsupported.append(target.problem(("spec", "target"), contact))
            else:
                targets.append(ImportedTarget(target.name, service, contact, target))
    return targets, unsupported


def unused_alerting(library: Library) -> list[Problem]:
    """Objects no imported SLO refers to: there is no service to attach them to."""
    return [
        document.problem((), "not referenced by any imported SLO; not imported")
        for document in library.documents
        if document.kind in _ATTACHED_KINDS and (document.kind, document.name) not in library.used
    ]


def _reference(
    entry: Any,  # noqa: ANN401 - YAML data: a name, a {<ref key>: name} or an inline object
    ref_key: str,
    kind: Kind,
    parent: Document,
    path: KeyPath,
    library: Library,
) -> Document:
    if isinstance(entry, str):
        return library.resolve(kind, entry, parent, path)
    if isinstance(entry, dict) and isinstance(entry.get(ref_key), str):
        return library.resolve(kind, entry[ref_key], parent, (*path, ref_key))
    if isinstance(entry, dict):
        return inline_document(entry, kind, parent, path)
    message = f"expected a {kind} name, {{{ref_key}: name}} or an inline {kind}"
    raise ConfigError([parent.problem(path, message)])


def _condition_problem(condition: Document, policy: Document) -> Problem:
    spec = validate_model(_ConditionSpec, condition.spec, sub_source(condition.source, ("spec",)))
    rule = spec.condition
    threshold = "" if rule.threshold is None else f" {rule.threshold:g}"
    text = f"{rule.kind} {rule.op}{threshold} over {rule.lookbackWindow or '?'}"
    severity = f"severity {spec.severity}, " if spec.severity else ""
    return condition.problem(
        ("spec", "condition"),
        f"({severity}{text}) of AlertPolicy {policy.name}: not imported; rcim pages and "
        "opens tickets on its own multiwindow burn rates (14.4/6/3/1 x budget for 30d)",
    )


def _contact(target: Document) -> Contact | str:
    """The contact a target describes, or why it cannot be one."""
    spec = validate_model(_TargetSpec, target.spec, sub_source(target.source, ("spec",)))
    kind = spec.target.strip().lower()
    fields = CONTACT_FIELDS.get(kind)
    if fields is None:
        known = ", ".join(CONTACT_FIELDS)
        return f"target {spec.target}: rcim contacts are {known}; not imported"
    missing = [f"{ANNOTATION_PREFIX}{f}" for f in fields if not target.annotations.get(_key(f))]
    if missing:
        return (
            f"target {kind} needs metadata.annotations {', '.join(missing)} to become a "
            "contact; not imported"
        )
    values = {field: target.annotations[_key(field)] for field in fields}
    try:
        return _CONTACT.validate_python({"kind": kind, **values})
    except ValidationError as error:
        return f"target {kind}: {error.errors()[0]['msg']}; not imported"


def _key(field: str) -> str:
    return f"{ANNOTATION_PREFIX}{field}"
