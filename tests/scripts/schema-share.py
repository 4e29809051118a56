"""How much of `brief check` an editor's JSON Schema validator catches:
every bad fixture under tests/fixtures/bad read as YAML and validated
against `brief schema` (jsonschema, Draft 2020-12), and every example and
good fixture, which must pass. Prints one JSON object:

    schema-share.py SCHEMA.json ROOT

Each file is read in a child process with a time limit, as the bad
fixtures include an alias bomb and deep nesting.
"""

import glob
import json
import os
import subprocess
import sys

CHILD = r"""
import json, re, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
# YAML 1.2's core schema, as brief and yaml-language-server read YAML: a
# date stays a string, and only true/false are booleans (PyYAML is YAML 1.1).
class Core(yaml.SafeLoader):
    pass
Core.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ('tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:bool')]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Core.add_implicit_resolver('tag:yaml.org,2002:bool', re.compile(r'^(?:true|True|TRUE|false|False|FALSE)$'), list('tTfF'))
try:
    with open(sys.argv[2], 'rb') as f:
        data = yaml.load(f.read().decode('utf-8'), Loader=Core)
except Exception as e:
    print(json.dumps({"yaml": False, "why": type(e).__name__})); sys.exit()
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(v.iter_errors(data), key=lambda e: list(e.absolute_path))
print(json.dumps({"yaml": True, "errors": [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:120]}" for e in errors[:5]]}))
"""


def judge(schema, path):
    try:
        out = subprocess.run([sys.executable, "-c", CHILD, schema, path], capture_output=True, timeout=20, text=True)
        return json.loads(out.stdout) if out.stdout.strip() else {"yaml": False, "why": "crashed"}
    except subprocess.TimeoutExpired:
        return {"yaml": False, "why": "timeout"}


def main(schema, root):
    bad = sorted(glob.glob(os.path.join(root, "tests/fixtures/bad/*.yaml")))
    good = sorted(glob.glob(os.path.join(root, "briefs/*.yaml")) + glob.glob(os.path.join(root, "tests/fixtures/good/*.yaml")))
    result = {"rejected": [], "not_yaml": [], "missed": [], "good_refused": []}
    for path in bad:
        j = judge(schema, path)
        name = os.path.basename(path)
        if not j["yaml"]:
            result["not_yaml"].append(f"{name} ({j['why']})")
        elif j["errors"]:
            result["rejected"].append(f"{name}: {j['errors'][0]}")
        else:
            result["missed"].append(name)
    for path in good:
        j = judge(schema, path)
        if j["yaml"] and j["errors"]:
            result["good_refused"].append(f"{os.path.basename(path)}: {j['errors']}")
    yaml_bad = len(bad) - len(result["not_yaml"])
    result["summary"] = {
        "bad": len(bad),
        "yaml": yaml_bad,
        "rejected": len(result["rejected"]),
        "share_of_yaml": round(len(result["rejected"]) / max(1, yaml_bad), 3),
        "good": len(good),
        "good_refused": len(result["good_refused"]),
    }
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
