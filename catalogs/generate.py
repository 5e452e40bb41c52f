#!/usr/bin/env python3
"""Regenerates catalogs/*.toml from the ISO/IEC 27001:2022 reference CSVs: python3 catalogs/generate.py [REFERENCE_DIR]"""
import csv, json, collections
import os, sys
ref = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/iso27001-2022", "")
os.chdir(os.path.dirname(os.path.abspath(__file__)) + "/..")
def q(s): return json.dumps(s, ensure_ascii=False)
def arr(xs): return "[" + ", ".join(q(x) for x in xs) + "]"
attrs = {r["id"]: r for r in csv.DictReader(open(ref+"attributes.csv"))}
nist = collections.OrderedDict()
for r in csv.DictReader(open(ref+"mapping-nist-csf-2.0.csv")):
    nist.setdefault(r["nist_csf_2_0"], []).append(r["iso27001_2022"])
iso_to_nist = collections.defaultdict(list)
for n, isos in nist.items():
    for i in isos:
        iso_to_nist[i].append(n)
out = ['# ISO/IEC 27001:2022 Annex A (Table A.1): control ids, titles and themes, with the',
       '# ISO/IEC 27002:2022 attributes. Generated from shared/reference/iso27001-2022/ (annex-a.csv,',
       '# attributes.csv, mapping-nist-csf-2.0.csv). Titles are the short names only.',
       'id = "iso27001-2022"', 'name = "ISO/IEC 27001:2022 Annex A"', 'id_prefix = "A."',
       'groups = ["Organizational", "People", "Physical", "Technological"]', '']
for r in csv.DictReader(open(ref+"annex-a.csv")):
    a = attrs[r["id"]]
    out += ['[[controls]]', f'id = {q(r["id"])}', f'title = {q(r["title"])}', f'group = {q(r["theme"])}']
    rel = ["nist-csf-2.0:"+n for n in iso_to_nist.get(r["id"], [])]
    if rel: out.append(f'related = {arr(rel)}')
    out.append(f'attributes = {{ control_type = {arr(a["control_type"].split(";"))}, security_properties = {arr(a["security_properties"].split(";"))}, cybersecurity_concepts = {arr(a["cybersecurity_concepts"].split(";"))} }}')
    out.append('')
open("catalogs/iso27001-2022.toml","w").write("\n".join(out))

chapters = {"4":"Context of the organization","5":"Leadership","6":"Planning","7":"Support","8":"Operation","9":"Performance evaluation","10":"Improvement"}
out = ['# ISO/IEC 27001:2022 clauses 4 to 10 (the ISMS requirements). Generated from',
       '# shared/reference/iso27001-2022/clauses.csv. Titles are the short names only.',
       'id = "iso27001-2022-clauses"', 'name = "ISO/IEC 27001:2022 clauses"', 'kind = "requirements"',
       'groups = ' + arr([f"{k} {v}" for k,v in chapters.items()]), '']
for r in csv.DictReader(open(ref+"clauses.csv")):
    ch = r["clause"].split(".")[0]
    out += ['[[controls]]', f'id = {q(r["clause"])}', f'title = {q(r["title"])}', f'group = {q(ch+" "+chapters[ch])}']
    if r["documented_information"]:
        out.append(f'description = {q("Documented information: " + r["documented_information"])}')
    rel = ["nist-csf-2.0:"+n for n in iso_to_nist.get(r["clause"], [])]
    if rel: out.append(f'related = {arr(rel)}')
    out.append('')
open("catalogs/iso27001-2022-clauses.toml","w").write("\n".join(out))

functions = {"GV":"Govern","ID":"Identify","PR":"Protect","DE":"Detect","RS":"Respond","RC":"Recover"}
cats = {"GV.OC":"Organizational Context","GV.RM":"Risk Management Strategy","GV.RR":"Roles, Responsibilities, and Authorities","GV.PO":"Policy","GV.OV":"Oversight","GV.SC":"Cybersecurity Supply Chain Risk Management","ID.AM":"Asset Management","ID.RA":"Risk Assessment","ID.IM":"Improvement","PR.AA":"Identity Management, Authentication, and Access Control","PR.AT":"Awareness and Training","PR.DS":"Data Security","PR.PS":"Platform Security","PR.IR":"Technology Infrastructure Resilience","DE.CM":"Continuous Monitoring","DE.AE":"Adverse Event Analysis","RS.MA":"Incident Management","RS.AN":"Incident Analysis","RS.CO":"Incident Response Reporting and Communication","RS.MI":"Incident Mitigation","RC.RP":"Incident Recovery Plan Execution","RC.CO":"Incident Recovery Communication"}
out = ['# NIST Cybersecurity Framework 2.0 subcategories that NIST maps to ISO/IEC 27001:2022, grouped by',
       '# function. Generated from shared/reference/iso27001-2022/mapping-nist-csf-2.0.csv. The reference',
       '# data carries no subcategory wording, so each title is the subcategory\'s category name.',
       'id = "nist-csf-2.0"', 'name = "NIST Cybersecurity Framework 2.0"',
       'groups = ' + arr(list(functions.values())), '']
def key(n):
    f = list(functions).index(n[:2]); c = n.split("-")[0]; return (f, c, int(n.split("-")[1]))
for n in sorted(nist, key=key):
    c = n.split("-")[0]
    out += ['[[controls]]', f'id = {q(n)}', f'title = {q(cats[c])}', f'group = {q(functions[n[:2]])}']
    rel = [("iso27001-2022:" if i.startswith("A.") else "iso27001-2022-clauses:")+i for i in nist[n]]
    out.append(f'related = {arr(rel)}')
    out.append('')
open("catalogs/nist-csf-2.0.toml","w").write("\n".join(out))
