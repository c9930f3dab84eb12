"""Validates Converge manifests against the committed JSON Schema with the `jsonschema` package.

Usage: check_schema.py SCHEMA EXAMPLES_DIR [CASES_JSON]

- the schema itself must be a valid draft 2020-12 schema;
- every document of every *.yaml file under EXAMPLES_DIR must validate, and every such file must
  start with the `# yaml-language-server: $schema=` line pointing at SCHEMA;
- the schema must reject an unknown field, a wrong type and a bad kind;
- CASES_JSON (written by the Swift test from the decoder's field tables): a list of
  {"name", "document", "valid"}; each document must be accepted or rejected as the decoder did.
Prints one line per failure and a summary; exits 1 on any failure.
"""
import json
import os
import sys

import jsonschema
import yaml


def main():
    schema_path, examples = sys.argv[1], sys.argv[2]
    with open(schema_path) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = []
    checked = 0

    for root, _, files in os.walk(examples):
        for name in sorted(files):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(root, name)
            with open(path) as f:
                text = f.read()
            first = text.split("\n", 1)[0]
            expected = os.path.relpath(schema_path, root)
            if first != "# yaml-language-server: $schema=" + expected:
                failures.append(f"{path}: first line is {first!r}, expected the schema line pointing at {expected}")
            for n, document in enumerate(yaml.safe_load_all(text)):
                if document is None:
                    continue
                checked += 1
                for error in validator.iter_errors(document):
                    failures.append(f"{path} document {n + 1}: {'/'.join(map(str, error.path))}: {error.message}")

    good = {"apiVersion": "converge/v1", "kind": "Service", "metadata": {"name": "web"},
            "spec": {"instances": 2, "command": "sleep 60", "env": {"PORT": 8080}}}
    refused = {
        "unknown field": dict(good, spec=dict(good["spec"], replicas=3)),
        "wrong type": dict(good, spec=dict(good["spec"], instances="many")),
        "bad kind": dict(good, kind="Deployment"),
        "unknown top-level field": dict(good, status={}),
    }
    if not validator.is_valid(good):
        failures.append("a minimal Service is refused: " + "; ".join(e.message for e in validator.iter_errors(good)))
    for label, document in refused.items():
        checked += 1
        if validator.is_valid(document):
            failures.append(f"the schema accepts a document with a {label}")

    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            cases = json.load(f)
        for case in cases:
            checked += 1
            errors = list(validator.iter_errors(case["document"]))
            if case["valid"] and errors:
                failures.append(f"{case['name']}: the decoder accepts it, the schema refuses: {errors[0].message}")
            if not case["valid"] and not errors:
                failures.append(f"{case['name']}: the decoder refuses it, the schema accepts it")

    for failure in failures:
        print("FAIL", failure)
    print(json.dumps({"checked": checked, "failures": len(failures)}))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
