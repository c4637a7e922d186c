#!/usr/bin/env python3
"""JSON schema of selected models of Genesys's official Python SDK.

Reads the model classes of PureCloudPlatformClientV2 (swagger_types,
attribute_map, the enum lists in the property setters), starting from ROOTS and
following model references transitively, and writes them as one JSON document
that the emulator's Swift validator reads (Sources/GenesysEmulator/Resources/
sdk-schema.json). Run it through scripts/conformance/schema, which pins the SDK
version and owns the venv.

Usage:
    python3 sdk_schema.py --version 269.0.0 --output PATH

Exit status 0 on success, 2 when the installed SDK is not the expected version,
a root is missing, or a type string has a shape this script does not know (the
message names the model and field); an unknown shape never becomes a silent {}.

Notes on the SDK (checked in 269.0.0):
- swagger_types and attribute_map are set in __init__, so each class is
  instantiated (no arguments) to read them; both list the same python
  attributes in the same order.
- Enums exist only on scalar properties: the setter holds one line
  `allowed_values = ["a", "b"]` and maps unknown values to
  "outdated_sdk_version". list[str] properties never carry allowed_values even
  when the API's field is an enum (e.g. QueueObservationQuery.metrics).
- Two int properties (DomainNetworkAddress.family, DomainNetworkRoute.family)
  have allowed_values of strings; that shape is refused, not guessed.
- A few type strings name classes the SDK does not define (YearMonth,
  LocalDateTime); reaching one from a root is refused as well.
"""

import argparse
import ast
import importlib.metadata
import inspect
import json
import re
import sys

PACKAGE = "PureCloudPlatformClientV2"
COMMAND = "scripts/conformance/schema"

# The models the emulator serves or accepts. Everything they reference is included.
ROOTS = [
    "Campaign",
    "CampaignEntityListing",
    "CampaignProgress",
    "CampaignStats",
    "CampaignPatchRequest",
    "CampaignDiagnostics",
    "CampaignSchedule",
    "SequenceSchedule",
    "CampaignRule",
    "CampaignRuleEntityListing",
    "CampaignSequence",
    "CampaignSequenceEntityListing",
    "CallableTimeSet",
    "ContactList",
    "ContactListEntityListing",
    "DncList",
    "ImportStatus",
    "EventLog",
    "DialerEventEntityListing",
    "AuditRealtimeQueryRequest",
    "AuditRealtimeQueryResultsResponse",
    "QueueMemberEntityListing",
    "QueueObservationQuery",
    "QueueObservationQueryResponse",
    "Channel",
    "ChannelTopicEntityListing",
    "ErrorBody",
]

PRIMITIVES = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "object": {},
}

LIST = re.compile(r"^list\[(.+)\]$")
DICT = re.compile(r"^dict\(str, (.+)\)$")
MODEL_NAME = re.compile(r"^[A-Z][A-Za-z0-9_]*$")
# The literal is parsed with ast.literal_eval, not picked apart by the regex, so quoting
# and escapes inside the values cannot go wrong.
ALLOWED = re.compile(r"^\s*allowed_values = (\[.*\])\s*$", re.MULTILINE)


class SchemaError(Exception):
    pass


def model_class(models, name):
    cls = getattr(models, name, None)
    if not inspect.isclass(cls) or not cls.__module__.startswith(PACKAGE + ".models."):
        return None
    return cls


def schema_of(type_string, models, pending, where):
    """The schema of one type string; model names it references are added to pending."""
    if type_string in PRIMITIVES:
        return dict(PRIMITIVES[type_string])
    match = LIST.match(type_string)
    if match:
        return {"type": "array", "items": schema_of(match.group(1), models, pending, where)}
    match = DICT.match(type_string)
    if match:
        return {"type": "object", "additionalProperties": schema_of(match.group(1), models, pending, where)}
    if MODEL_NAME.match(type_string):
        if model_class(models, type_string) is None:
            raise SchemaError(f"{where}: type {type_string!r} is not a model class of {PACKAGE}.models")
        pending.append(type_string)
        return {"$ref": type_string}
    raise SchemaError(f"{where}: cannot map type string {type_string!r}")


def enum_of(cls, attribute, where):
    """allowed_values of the attribute's setter, or None when the setter has none."""
    prop = inspect.getattr_static(cls, attribute, None)
    if not isinstance(prop, property) or prop.fset is None:
        raise SchemaError(f"{where}: no property with a setter for python attribute {attribute!r}")
    source = inspect.getsource(prop.fset)
    found = ALLOWED.findall(source)
    if not found:
        if "allowed_values" in source:
            raise SchemaError(f"{where}: setter mentions allowed_values in an unexpected form")
        return None
    if len(found) > 1:
        raise SchemaError(f"{where}: setter has {len(found)} allowed_values lists")
    values = ast.literal_eval(found[0])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SchemaError(f"{where}: allowed_values is not a list of strings: {found[0]}")
    return values


def model_schema(name, models, pending):
    cls = model_class(models, name)
    instance = cls()
    types = getattr(instance, "swagger_types", None)
    names = getattr(instance, "attribute_map", None)
    if not isinstance(types, dict) or not isinstance(names, dict):
        raise SchemaError(f"{name}: no swagger_types/attribute_map")
    if set(types) != set(names):
        raise SchemaError(f"{name}: swagger_types and attribute_map list different attributes")
    properties = {}
    for attribute, json_name in names.items():
        where = f"{name}.{json_name}"
        if json_name in properties:
            raise SchemaError(f"{where}: JSON name used twice")
        type_string = types[attribute]
        schema = schema_of(type_string, models, pending, where)
        values = enum_of(cls, attribute, where)
        if values is not None:
            if type_string != "str":
                raise SchemaError(f"{where}: allowed_values on a {type_string!r} property; only str enums are mapped")
            schema["enum"] = values
        properties[json_name] = schema
    return properties


def build(models, version):
    missing = [r for r in ROOTS if model_class(models, r) is None]
    if missing:
        raise SchemaError(f"root model(s) not in {PACKAGE} {version}: {', '.join(missing)}")
    schemas = {}
    pending = list(ROOTS)
    while pending:
        name = pending.pop()
        if name not in schemas:
            schemas[name] = model_schema(name, models, pending)
    return {
        "source": {"package": PACKAGE, "version": version, "command": COMMAND},
        "roots": list(ROOTS),
        "models": {name: schemas[name] for name in sorted(schemas)},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", required=True, help="the SDK version that must be installed")
    parser.add_argument("--output", required=True, help="file to write the schema to")
    args = parser.parse_args()

    installed = importlib.metadata.version(PACKAGE)
    if installed != args.version:
        print(f"sdk_schema: {PACKAGE} {installed} is installed, {args.version} expected", file=sys.stderr)
        return 2
    import PureCloudPlatformClientV2.models as models

    try:
        document = build(models, installed)
    except SchemaError as error:
        print(f"sdk_schema: {error}", file=sys.stderr)
        return 2
    with open(args.output, "w", encoding="utf-8") as out:
        out.write(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
