"""Writes each function's Timeout into the built template as a number.

The template derives every Lambda timeout from one parameter
(`!FindInMap [Timeouts, !Ref RequestTimeout, …]`, so they nest inside the
front door's). CloudFormation resolves that; `sam local` does not — it reads
`Timeout` as a literal and stops with "Invalid Number for Timeout". This
resolves the mapping at the parameter's default, in the build's copy only.

Usage: python local_timeouts.py BUILT_TEMPLATE
"""

import sys

import yaml


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        template = yaml.safe_load(f)
    timeouts = template["Mappings"]["Timeouts"]
    default = str(template["Parameters"]["RequestTimeout"]["Default"])
    for resource in template["Resources"].values():
        props = resource.get("Properties") or {}
        timeout = props.get("Timeout")
        if isinstance(timeout, dict) and "Fn::FindInMap" in timeout:
            name, _, key = timeout["Fn::FindInMap"]
            assert name == "Timeouts", timeout
            row = timeouts.get(default) or timeouts[int(default)]
            props["Timeout"] = int(row[key])
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(template, f, sort_keys=False)


if __name__ == "__main__":
    main(sys.argv[1])
