#!/usr/bin/python3
"""Validates YAML files against branchcast's JSON Schema, reading YAML the way editors' YAML 1.2
language servers do (on/off/yes/no are strings, 09:00 is a string, no timestamps).

usage: check_schema.py SCHEMA.json FILE.yaml...   prints "ok FILE" or "invalid FILE: reason" per file.
Exit 0 when the schema itself is a valid draft-07 schema (whatever the files), 2 otherwise."""
import json
import re
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    pass


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))


def main():
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    try:
        jsonschema.Draft7Validator.check_schema(schema)
    except jsonschema.SchemaError as e:
        print("schema invalid: %s" % e.message)
        return 2
    validator = jsonschema.Draft7Validator(schema)
    for path in sys.argv[2:]:
        with open(path) as f:
            doc = yaml.load(f, Loader=Yaml12Loader)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            best = jsonschema.exceptions.best_match(errors)
            print("invalid %s: %s at %s" % (path, best.message, "/".join(str(p) for p in best.absolute_path)))
        else:
            print("ok %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
