#!/usr/bin/env python3
"""Regenerates catalogs/*.toml from the ISO/IEC 27001:2022 reference CSVs.

    python3 catalogs/generate.py [REFERENCE_DIR]          # rewrite the catalogs
    python3 catalogs/generate.py --check [REFERENCE_DIR]  # exit 1 if any would change

REFERENCE_DIR defaults to shared/reference/iso27001-2022 beside the repository
(../shared/reference/iso27001-2022 from its root). The output depends on the CSVs alone:
no dates, no environment, LF line ends, UTF-8. The data is checked before anything is
written: every attribute value against the ISO/IEC 27002:2022 vocabulary of its kind, every
subcategory's function and category against the category list, every mapping against both
ends.
"""
import csv
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ISO/IEC 27002:2022 clause 4.2: the five attribute kinds, in the standard's order, and the
# values each may take (the CSV columns after `id`, hashtags written in snake case).
ATTRIBUTES = {
    "control_type": ["preventive", "detective", "corrective"],
    "security_properties": ["confidentiality", "integrity", "availability"],
    "cybersecurity_concepts": ["identify", "protect", "detect", "respond", "recover"],
    "operational_capabilities": [
        "governance", "asset_management", "information_protection",
        "human_resource_security", "physical_security", "system_and_network_security",
        "application_security", "secure_configuration", "identity_and_access_management",
        "threat_and_vulnerability_management", "continuity", "supplier_relationships_security",
        "legal_and_compliance", "information_security_event_management",
        "information_security_assurance",
    ],
    "security_domains": ["governance_and_ecosystem", "protection", "defence", "resilience"],
}

# ISO/IEC 27001:2022 clause titles 4 to 10 (the chapters the clauses group under).
CHAPTERS = {
    "4": "Context of the organization", "5": "Leadership", "6": "Planning", "7": "Support",
    "8": "Operation", "9": "Performance evaluation", "10": "Improvement",
}


# The mandatory item whose content the organisation itself determines (7.5.1 b): listed, never
# reported missing.
ORGANISATION_DECIDES = {"7.5.1 b"}


class DataError(Exception):
    pass


def need(condition, message):
    if not condition:
        raise DataError(message)


def rows(ref, name, columns):
    with open(os.path.join(ref, name), encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        need(reader.fieldnames == columns, f"{name}: columns {reader.fieldnames}, expected {columns}")
        return list(reader)


def q(s):
    return json.dumps(s, ensure_ascii=False)


def arr(xs):
    return "[" + ", ".join(q(x) for x in xs) + "]"


def split(cell):
    return [v.strip() for v in cell.split(";") if v.strip()]


def generate(ref):
    """The catalogs as {path: text}."""
    annex = rows(ref, "annex-a.csv", ["id", "title", "theme"])
    clauses = rows(ref, "clauses.csv", ["clause", "title", "documented_information"])
    attributes = rows(ref, "attributes.csv", ["id", *ATTRIBUTES])
    subcategories = rows(ref, "nist-csf-2.0.csv", ["id", "function", "category_id", "category_title", "text"])
    categories = rows(ref, "nist-csf-2.0-categories.csv", ["function_id", "function_title", "category_id", "category_title"])
    mapping = rows(ref, "mapping-nist-csf-2.0.csv", ["nist_csf_2_0", "iso27001_2022"])
    mandatory = rows(ref, "mandatory-documents.csv", ["clause", "item", "kind"])

    annex_ids = [r["id"] for r in annex]
    clause_ids = [r["clause"] for r in clauses]
    need(len(set(annex_ids)) == len(annex_ids), "annex-a.csv: an id twice")
    need(len(set(clause_ids)) == len(clause_ids), "clauses.csv: a clause twice")

    attrs = {}
    for r in attributes:
        need(r["id"] not in attrs, f"attributes.csv: {r['id']} twice")
        kinds = {}
        for kind, allowed in ATTRIBUTES.items():
            values = split(r[kind])
            need(values, f"attributes.csv: {r['id']} has no {kind}")
            for v in values:
                need(v in allowed, f"attributes.csv: {r['id']}: `{v}` is not a value of {kind} ({', '.join(allowed)})")
            need(len(set(values)) == len(values), f"attributes.csv: {r['id']}: a {kind} value twice")
            kinds[kind] = values
        attrs[r["id"]] = kinds
    need(sorted(attrs) == sorted(annex_ids), "attributes.csv and annex-a.csv list different controls")

    functions = {}  # id -> title, in order
    category_of = {}  # category id -> (function id, title), in order
    for r in categories:
        title = r["function_title"].capitalize()
        need(functions.setdefault(r["function_id"], title) == title, f"function {r['function_id']}: two titles")
        need(r["category_id"].startswith(r["function_id"] + "."), f"category {r['category_id']} outside its function")
        need(r["category_id"] not in category_of, f"category {r['category_id']} twice")
        category_of[r["category_id"]] = (r["function_id"], r["category_title"])
    nist_ids = []
    for r in subcategories:
        c = r["category_id"]
        need(c in category_of, f"nist-csf-2.0.csv: {r['id']}: unknown category {c}")
        f, title = category_of[c]
        need(r["id"].startswith(c + "-"), f"nist-csf-2.0.csv: {r['id']} is not in {c}")
        need(r["function"].capitalize() == functions[f], f"nist-csf-2.0.csv: {r['id']}: function {r['function']}")
        need(r["category_title"] == title, f"nist-csf-2.0.csv: {r['id']}: category title {r['category_title']!r}")
        need(r["text"].strip(), f"nist-csf-2.0.csv: {r['id']} has no text")
        need(r["id"] not in nist_ids, f"nist-csf-2.0.csv: {r['id']} twice")
        nist_ids.append(r["id"])
    # NIST's order: function by function, category by category (the categories file's order).
    order = {c: i for i, c in enumerate(category_of)}
    subcategories.sort(key=lambda r: order[r["category_id"]])

    nist_to_iso = {}
    iso_to_nist = {}
    for r in mapping:
        n, i = r["nist_csf_2_0"], r["iso27001_2022"]
        need(n in nist_ids, f"mapping-nist-csf-2.0.csv: unknown subcategory {n}")
        need(i in annex_ids or i in clause_ids, f"mapping-nist-csf-2.0.csv: unknown ISO control or clause {i}")
        nist_to_iso.setdefault(n, []).append(i)
        iso_to_nist.setdefault(i, []).append(n)

    def related(ids):
        return f"related = {arr(ids)}" if ids else None

    out = {}
    lines = [
        "# ISO/IEC 27001:2022 Annex A (Table A.1): control ids, titles and themes, with the five kinds of",
        "# ISO/IEC 27002:2022 attributes. Generated by catalogs/generate.py from shared/reference/iso27001-2022/",
        "# (annex-a.csv, attributes.csv, mapping-nist-csf-2.0.csv): do not edit. Titles are the short names only.",
        'id = "iso27001-2022"', 'name = "ISO/IEC 27001:2022 Annex A"', 'id_prefix = "A."',
        "groups = " + arr(dict.fromkeys(r["theme"] for r in annex)), "",
    ]
    for r in annex:
        lines += ["[[controls]]", f"id = {q(r['id'])}", f"title = {q(r['title'])}", f"group = {q(r['theme'])}"]
        lines += filter(None, [related(["nist-csf-2.0:" + n for n in iso_to_nist.get(r["id"], [])])])
        lines.append("[controls.attributes]")
        lines += [f"{kind} = {arr(values)}" for kind, values in attrs[r["id"]].items()]
        lines.append("")
    out["catalogs/iso27001-2022.toml"] = lines

    lines = [
        "# ISO/IEC 27001:2022 clauses 4 to 10 (the ISMS requirements). Generated by catalogs/generate.py from",
        "# shared/reference/iso27001-2022/ (clauses.csv, mapping-nist-csf-2.0.csv): do not edit. Titles are the",
        "# short names only.",
        'id = "iso27001-2022-clauses"', 'name = "ISO/IEC 27001:2022 clauses"', 'kind = "requirements"',
        "groups = " + arr([f"{k} {v}" for k, v in CHAPTERS.items()]), "",
    ]
    for r in clauses:
        chapter = r["clause"].split(".")[0]
        need(chapter in CHAPTERS, f"clauses.csv: {r['clause']} is outside clauses 4 to 10")
        lines += ["[[controls]]", f"id = {q(r['clause'])}", f"title = {q(r['title'])}",
                  f"group = {q(chapter + ' ' + CHAPTERS[chapter])}"]
        if r["documented_information"]:
            lines.append(f"description = {q('Documented information: ' + r['documented_information'])}")
        lines += filter(None, [related(["nist-csf-2.0:" + n for n in iso_to_nist.get(r["clause"], [])])])
        lines.append("")
    out["catalogs/iso27001-2022-clauses.toml"] = lines

    lines = [
        "# NIST Cybersecurity Framework 2.0: every subcategory with NIST's wording, by function, with its",
        "# category and NIST's informative mapping to ISO/IEC 27001:2022 (NIST maps every subcategory).",
        "# Generated by catalogs/generate.py from shared/reference/iso27001-2022/ (nist-csf-2.0.csv,",
        "# nist-csf-2.0-categories.csv, mapping-nist-csf-2.0.csv): do not edit.",
        'id = "nist-csf-2.0"', 'name = "NIST Cybersecurity Framework 2.0"',
        "groups = " + arr(functions.values()), "",
    ]
    for r in subcategories:
        f, title = category_of[r["category_id"]]
        iso = [("iso27001-2022:" if i in annex_ids else "iso27001-2022-clauses:") + i
               for i in nist_to_iso.get(r["id"], [])]
        lines += ["[[controls]]", f"id = {q(r['id'])}", f"title = {q(r['text'].strip())}",
                  f"group = {q(functions[f])}",
                  f"description = {q('Category ' + r['category_id'] + ': ' + title)}"]
        lines += filter(None, [related(iso)])
        lines.append("")
    out["catalogs/nist-csf-2.0.toml"] = lines

    lines = [
        "# ISO/IEC 27001:2022: the documented information clauses 4 to 10 require, in clause order.",
        "# `maintain` for documents, `retain` for records. Generated by catalogs/generate.py from",
        "# shared/reference/iso27001-2022/ (mandatory-documents.csv, clauses.csv): do not edit.", "",
    ]
    seen = set()
    for r in mandatory:
        clause = r["clause"].split(" ")[0]
        need(clause in clause_ids, f"mandatory-documents.csv: {r['clause']} is not a clause of clauses.csv")
        need(r["clause"] not in seen, f"mandatory-documents.csv: {r['clause']} twice")
        need(r["kind"] in ("maintain", "retain"), f"mandatory-documents.csv: {r['clause']}: kind {r['kind']!r}")
        seen.add(r["clause"])
        lines += ["[[items]]", f"clause = {q(r['clause'])}", f"item = {q(r['item'])}", f"kind = {q(r['kind'])}"]
        if r["clause"] in ORGANISATION_DECIDES:
            lines.append("organisation_decides = true")
        lines.append("")
    need(ORGANISATION_DECIDES <= seen, "mandatory-documents.csv: lacks " + ", ".join(sorted(ORGANISATION_DECIDES - seen)))
    out["catalogs/iso27001-2022-mandatory.toml"] = lines

    inputs = rows(ref, "management-review-inputs.csv", ["item", "short"])
    items = [r["item"] for r in inputs]
    need(len(set(items)) == len(items), "management-review-inputs.csv: an item twice")
    lines = [
        "# ISO/IEC 27001:2022 9.3.2: the inputs a management review shall consider (a to g, with d's four",
        "# trends d.1 to d.4). Generated by catalogs/generate.py from shared/reference/iso27001-2022/",
        "# (management-review-inputs.csv): do not edit. Input d is covered only when d.1 to d.4 are.",
        "",
    ]
    for r in inputs:
        parent = r["item"].split(".")[0]
        need(parent in items, f"management-review-inputs.csv: {r['item']} has no parent {parent}")
        lines += ["[[inputs]]", f"item = {q(r['item'])}", f"title = {q(r['short'])}", ""]
    out["catalogs/iso27001-2022-review-inputs.toml"] = lines
    return {path: "\n".join(lines) for path, lines in out.items()}


def main(args):
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    if len(args) > 1 or any(a.startswith("-") for a in args):
        sys.exit(__doc__)
    ref = os.path.abspath(args[0]) if args else os.path.join(ROOT, "..", "shared", "reference", "iso27001-2022")
    try:
        catalogs = generate(ref)
    except (DataError, OSError) as e:
        sys.exit(f"generate.py: {e}")
    stale = []
    for path, text in catalogs.items():
        full = os.path.join(ROOT, path)
        try:
            with open(full, encoding="utf-8", newline="") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current == text:
            continue
        stale.append(path)
        if not check:
            with open(full, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
    if check and stale:
        sys.exit("generate.py: out of date (run python3 catalogs/generate.py): " + ", ".join(stale))
    for path in stale:
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
