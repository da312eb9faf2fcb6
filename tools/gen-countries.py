#!/usr/bin/env python3
"""Generate lexicon/countries.gen.txt from Debian's iso-codes and lexicon/country-aliases.txt.

usage: gen-countries.py ISO_DIR ALIASES > countries.gen.txt

ISO_DIR holds iso-codes' iso_3166-1.json (Debian: /usr/share/iso-codes/json).
ALIASES is lexicon/country-aliases.txt: `ISO3 | names | demonyms | capital and
metonyms` (see lexicon/README.md).  The output has the same format, one line
per ISO 3166-1 entry (all of them, sorted by alpha-3 code), so the C loader
reads both files with one parser.

How the names of a country are assembled, in this order:

1. The iso-codes names: common_name, name, official_name.  iso-codes writes
   some names for sorting, which news never does, so:
   - a parenthesised part is removed ("Holy See (Vatican City State)" ->
     "Holy See"; our file lists "Vatican City" itself);
   - an inverted name is turned round: "X, Y" -> "Y X" when Y ends in "of" or
     "of the", or is one word ("Korea, Republic of" -> "Republic of Korea",
     "Virgin Islands, British" -> "British Virgin Islands");
   - any other name with a comma is a list ("Bonaire, Sint Eustatius and
     Saba") or a label news does not use ("Taiwan, Province of China") and is
     dropped; our file lists the parts news uses;
   - a leading "the" is dropped ("the State of Eritrea" -> "State of
     Eritrea"): the matcher makes a leading "the" optional anyway, and a
     capitalised "The" would wrongly demand a capital in the text.
   An iso-codes name that our file gives to another country is dropped: our
   file is the editor's decision ("Congo" is DR Congo in news, so our COD line
   takes it from iso-codes' COG).
2. Our names, then our demonyms and our capitals and metonyms, unchanged.
3. For every form, two derived variants follow it: its ASCII folding when it
   has accents ("Côte d'Ivoire" -> "Cote d'Ivoire", "the Élysée>GOV" -> "the
   Elysee>GOV"), since the matcher compares letters exactly; and for a form
   starting with "Saint " the "St. " and "St " spellings news also uses.
Exact duplicates are dropped, keeping the first.

Errors stop the run with `FILE:LINE:COL: error: message` and exit status 1: a
line that does not have four fields, an unknown or repeated ISO3 code, an empty
list item, a `>ROLE` suffix outside the capitals field or with an unknown role,
and a form that names two different countries (or roles).  The output is a
pure function of the two inputs (no dates, no environment), so builds are
reproducible.
"""
import json
import os
import re
import sys
import unicodedata

USAGE = "usage: gen-countries.py ISO_DIR ALIASES > countries.gen.txt"

# The role codes of lexicon/README.md, valid after a metonym's ">".
ROLES = frozenset(
    "GOV MIL COP JUD LEG OPP REB PTY BUS MED CVL EDU LAB REL REF SPY CRM HLH ELI AGR UAF INS"
    .split()
)

# Letters NFKD does not decompose, folded by hand.
EXTRA_FOLDS = {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss",
               "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "Th",
               "ð": "d", "Ð": "D", "ʻ": "'", "’": "'", "‘": "'"}


class LexiconError(Exception):
    """A problem in an input file, located at path:line:col."""

    def __init__(self, path, line, col, message):
        super().__init__("%s:%d:%d: error: %s" % (path, line, col, message))


def ascii_fold(text):
    """The form with accents removed, or None when that leaves non-ASCII letters."""
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.category(ch) == "Mn":
            continue
        out.append(EXTRA_FOLDS.get(ch, ch))
    folded = "".join(out)
    return folded if folded.isascii() else None


def form_key(form):
    """What the matcher cannot tell apart: case, a leading 'the', quotes, dashes."""
    text = form.split(">", 1)[0]
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    text = " ".join(text.split())
    if text.lower().startswith("the "):
        text = text[4:]
    return text.casefold()


def variants(form):
    """The form and the spellings derived from it (rule 3 of the docstring)."""
    out = [form]
    folded = ascii_fold(form)
    if folded and folded != form:
        out.append(folded)
    for base in list(out):
        if base.startswith("Saint "):
            out.append("St. " + base[6:])
            out.append("St " + base[6:])
    return out


def news_name(iso_name):
    """An iso-codes name as news writes it, or None to drop it (rule 1)."""
    name = " ".join(re.sub(r"\s*\([^)]*\)", "", iso_name).split())
    if "," in name:
        head, _, tail = name.partition(",")
        tail = tail.strip()
        if tail.count(",") or not (re.search(r"\bof( the)?$", tail, re.I) or " " not in tail):
            return None
        name = tail + " " + head.strip()
    if name.lower().startswith("the "):
        name = name[4:]
    return name


def load_iso(iso_dir):
    """{alpha_3: [iso-codes names in order]} from iso_3166-1.json."""
    path = os.path.join(iso_dir, "iso_3166-1.json")
    try:
        with open(path, encoding="utf-8") as f:
            entries = json.load(f)["3166-1"]
    except (OSError, ValueError, KeyError) as exc:
        raise LexiconError(path, 0, 0, "cannot read iso-codes: %s" % exc) from exc
    countries = {}
    for entry in entries:
        names = []
        for field in ("common_name", "name", "official_name"):
            if field in entry:
                name = news_name(entry[field])
                if name and name not in names:
                    names.append(name)
        countries[entry["alpha_3"]] = names
    return countries


def split_fields(raw):
    """[(text, col)] of the ' | '-separated fields of a line, comment removed."""
    body = raw.split("#", 1)[0].rstrip("\r\n")
    fields, start = [], 0
    for part in body.split("|"):
        stripped = part.strip()
        col = start + (len(part) - len(part.lstrip())) + 1
        fields.append((stripped, col))
        start += len(part) + 1
    return fields


def split_items(text, col):
    """[(item, col)] of a ';'-separated list field; an empty field is []."""
    if not text:
        return []
    items, start = [], 0
    for part in text.split(";"):
        items.append((part.strip(), col + start + (len(part) - len(part.lstrip()))))
        start += len(part) + 1
    return items


def parse_aliases(path, iso):
    """{ISO3: (line, [names], [demonyms], [metonyms])}, items as (text, col)."""
    lines = {}
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.split("#", 1)[0].strip():
                continue
            fields = split_fields(raw)
            if len(fields) != 4:
                raise LexiconError(path, lineno, 1, "expected 4 fields 'ISO3 | names | demonyms | "
                                   "capital and metonyms', found %d" % len(fields))
            code, code_col = fields[0]
            if code not in iso:
                raise LexiconError(path, lineno, code_col,
                                   "'%s' is not an ISO 3166-1 alpha-3 code" % code)
            if code in lines:
                raise LexiconError(path, lineno, code_col, "%s already has a line (line %d)"
                                   % (code, lines[code][0]))
            lists = [split_items(text, col) for text, col in fields[1:]]
            check_items(path, lineno, lists)
            lines[code] = (lineno, lists[0], lists[1], lists[2])
    return lines


def check_items(path, lineno, lists):
    for index, items in enumerate(lists):
        for text, col in items:
            if not text:
                raise LexiconError(path, lineno, col, "empty list item")
            if ">" not in text:
                continue
            if index != 2:
                raise LexiconError(path, lineno, col, "a '>ROLE' suffix is only allowed in the "
                                   "capital and metonyms field")
            form, role = text.split(">", 1)
            if not form.strip() or role not in ROLES:
                raise LexiconError(path, lineno, col, "'%s': expected FORM>ROLE with ROLE one of %s"
                                   % (text, " ".join(sorted(ROLES))))


def owner(code, form):
    """The actor code a form stands for: the country, or country+role for 'X>ROLE'."""
    return code + form.split(">", 1)[1] if ">" in form else code


def claim(owners, form, code, where):
    """Record that form names owner(code, form); raise if it already names another."""
    key = form_key(form)
    want = owner(code, form)
    have = owners.get(key)
    if have and have[0] != want:
        path, lineno, col = where
        raise LexiconError(path, lineno, col, "'%s' already names %s (%s); it cannot also name %s"
                           % (form, have[0], have[1], want))
    owners.setdefault(key, (want, "%s:%d" % where[:2] if where[1] else "iso-codes"))


def build(iso, aliases, path):
    """{ISO3: (names, demonyms, metonyms)} as output strings, in output order."""
    owners = {}
    for code in sorted(aliases):
        lineno, names, demonyms, metonyms = aliases[code]
        for text, col in names + demonyms + metonyms:
            for form in variants(text.lstrip("=")):
                claim(owners, form, code, (path, lineno, col))
    result = {}
    for code in sorted(iso):
        ours = aliases.get(code, (0, [], [], []))
        # A name marked "=" in our file is the label: it goes first.
        names = [n for text, _ in ours[1] if text.startswith("=") for n in variants(text[1:])]
        for name in iso[code]:
            taken = owners.get(form_key(name))
            if taken and taken[0] != code:
                continue  # our file gives this iso-codes name to another country
            claim(owners, name, code, (path, 0, 0))
            names.extend(variants(name))
        for text, _ in ours[1]:
            names.extend(variants(text.lstrip("=")))
        fields = (names, expand(ours[2]), expand(ours[3]))
        result[code] = tuple(dedup(field) for field in fields)
    return result


def expand(items):
    out = []
    for text, _ in items:
        out.extend(variants(text))
    return out


def dedup(forms):
    seen, out = set(), []
    for form in forms:
        if form not in seen:
            seen.add(form)
            out.append(form)
    return out


def render(result, aliases_path):
    out = ["# countries.gen.txt - generated by tools/gen-countries.py from iso-codes' "
           "iso_3166-1.json", "# and %s; do not edit." % os.path.basename(aliases_path),
           "# ISO3 | names | demonyms | capital and metonyms"]
    for code, (names, demonyms, metonyms) in result.items():
        out.append(("%s | %s | %s | %s" % (code, "; ".join(names), "; ".join(demonyms),
                                            "; ".join(metonyms))).rstrip())
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("%s\n" % USAGE)
        return 2
    try:
        iso = load_iso(argv[1])
        aliases = parse_aliases(argv[2], iso)
        text = render(build(iso, aliases, argv[2]), argv[2])
    except LexiconError as exc:
        sys.stderr.write("%s\n" % exc)
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        sys.stderr.write("%s: error: %s\n" % (argv[2], exc))
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
