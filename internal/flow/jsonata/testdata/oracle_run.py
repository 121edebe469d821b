# Records jsonata-js outcomes for the golden cases:
#   python3 oracle_run.py golden.jsonl oracle.js > golden.new && mv golden.new golden.jsonl
# oracle.js must be able to require a jsonata-js v2.0.6 checkout (see its first line).
# Cases marked "timeout" never end in jsonata-js and are not run.
import json, os, subprocess, sys
OUTCOMES = ("result", "undefined", "function", "error", "timeout")
cases = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
here = os.path.dirname(os.path.abspath(sys.argv[1]))
run = []
for c in cases:
    if c.get("timeout"):
        continue
    d = {k: v for k, v in c.items() if k not in OUTCOMES}
    if "dataset" in d:
        d["input"] = open(os.path.join(here, "datasets", d.pop("dataset") + ".json")).read()
    run.append(d)
p = subprocess.run(["node", sys.argv[2]], input="".join(json.dumps(c) + "\n" for c in run), capture_output=True, text=True, timeout=600)
outs = iter(p.stdout.split("\n"))
for c in cases:
    d = {k: v for k, v in c.items() if k not in OUTCOMES}
    d.update({"timeout": True} if c.get("timeout") else json.loads(next(outs)))
    print(json.dumps(d, ensure_ascii=False))
