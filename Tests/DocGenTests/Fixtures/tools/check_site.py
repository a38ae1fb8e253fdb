#!/usr/bin/env python3
"""Checks a built runbook site: every page parses as HTML5 without a single parse error
(html5lib's strict parser), every internal link and anchor resolves, and nothing in the
output can run script (only the site's own script files, no on* attributes, no
javascript:/data:/vbscript: URLs). Prints one JSON object: {"pages": N, "problems": [...]}."""
import json
import os
import sys
import urllib.parse

import html5lib

ALLOWED_SCRIPTS = {"search-index.js", "site.js"}
URL_ATTRS = ("href", "src", "action", "formaction", "poster", "srcset", "xlink:href")


def local(tag):
    return tag.split("}", 1)[-1]


def main(root):
    problems = []
    pages = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                with open(path, "rb") as f:
                    data = f.read()
                parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
                try:
                    tree = parser.parse(data)
                except Exception as e:  # html5lib raises ParseError on the first error in strict mode
                    problems.append(f"{rel}: HTML5 parse error: {e}")
                    tree = html5lib.HTMLParser(namespaceHTMLElements=False).parse(data)
                pages[rel] = tree
    ids = {rel: {el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")} for rel, tree in pages.items()}
    for rel, tree in pages.items():
        seen_ids = {}
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            tag = local(el.tag)
            if el.get("id"):
                if el.get("id") in seen_ids:
                    problems.append(f"{rel}: duplicate id {el.get('id')!r}")
                seen_ids[el.get("id")] = True
            for attr, value in el.attrib.items():
                a = local(attr).lower()
                if a.startswith("on"):
                    problems.append(f"{rel}: live event handler attribute {a}= on <{tag}>")
                if a in URL_ATTRS:
                    scheme = "".join(ch for ch in value if ord(ch) > 0x20).split(":", 1)[0].lower() if ":" in value else ""
                    if scheme in ("javascript", "data", "vbscript"):
                        problems.append(f"{rel}: {scheme}: URL in <{tag} {a}>")
            if tag == "script":
                src = el.get("src") or ""
                if os.path.basename(src) not in ALLOWED_SCRIPTS or (el.text or "").strip():
                    problems.append(f"{rel}: unexpected script element src={src!r}")
            if tag in ("iframe", "object", "embed", "base", "meta") and tag != "meta":
                problems.append(f"{rel}: unexpected <{tag}>")
            if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
                problems.append(f"{rel}: meta refresh")
            if tag == "a" and el.get("href") is not None:
                href = el.get("href")
                parts = urllib.parse.urlsplit(href)
                if parts.scheme or href.startswith("//"):
                    continue
                target = rel
                if parts.path:
                    target = os.path.normpath(os.path.join(os.path.dirname(rel), urllib.parse.unquote(parts.path)))
                    if not os.path.exists(os.path.join(root, target)):
                        problems.append(f"{rel}: link {href!r} points at missing file {target}")
                        continue
                if parts.fragment:
                    frag = urllib.parse.unquote(parts.fragment)
                    if target not in ids or frag not in ids[target]:
                        problems.append(f"{rel}: link {href!r} points at missing anchor #{frag} in {target}")
            if tag in ("link", "img") and (el.get("href") or el.get("src")):
                ref = el.get("href") or el.get("src")
                parts = urllib.parse.urlsplit(ref)
                if not parts.scheme and not ref.startswith("//"):
                    target = os.path.normpath(os.path.join(os.path.dirname(rel), urllib.parse.unquote(parts.path)))
                    if not os.path.exists(os.path.join(root, target)):
                        problems.append(f"{rel}: <{tag}> {ref!r} points at missing file {target}")
    print(json.dumps({"pages": len(pages), "problems": problems}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
