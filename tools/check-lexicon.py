#!/usr/bin/env python3
"""Validate newsgraph lexicon files against the formats of lexicon/README.md.

usage: check-lexicon.py [--iso-dir DIR] [--partial] [--stats] PATH...

PATH is a lexicon file or a folder (then its known files are checked).  Known
files: country-aliases.txt, countries.gen.txt, actors.txt, people.txt,
roles.txt, abbreviations.txt, function-words.txt, gender.txt; verbs.txt and cameo.txt are
left to their own checks.  Every problem is printed as
`FILE:LINE:COL: error: message`; the exit status is 1 when there was one, 2 on
a usage error, 0 otherwise.

What is checked, beyond each line's fields:
- actor codes: 3 to 15 capitals or digits: IGO/NGO/IMG/MNC + a sub-code, or a
  role code, or an ISO 3166-1 alpha-3 code (from iso-codes) followed by role
  codes; an ISO3 code must also have its line in country-aliases.txt when that
  file is checked too;
- options: kind= from the README's list and consistent with the code (igo ->
  IGO..., ngo -> NGO..., party -> ...PTY, media -> ...MED, company -> ...BUS
  or MNC...), from=/to= real dates with from <= to, key= a slug;
- surface forms: only letters, digits, spaces and . ' - & ( ) / + , ; no form
  twice on a line; in actors.txt and people.txt a form with accents must also
  be given without them (the matcher compares letters exactly);
- no surface form names two different actors at the same time, across
  country-aliases.txt, countries.gen.txt, actors.txt and people.txt: two
  codes for one form are allowed only when their from=/to= periods do not
  overlap (a period ends on the day the next begins).  Forms are compared as
  the matcher sees them: ignoring case, a leading "the", curly quotes, dashes;
- lines that share a label (one person or group in several periods) must
  have periods that do not overlap;
- a person's label must not end in "Jr." or "Sr.", which would become the
  surname;
- country-aliases.txt (unless --partial, for an extra --lexicon folder) and
  countries.gen.txt must have a line for every iso-codes entry;
- roles.txt: role codes from the README, options only "title", no word
  listed for two roles; function-words.txt: the README's tags, no word twice
  under one tag (a word may have several tags: "that" is DET, REL, SUBORD);
  abbreviations.txt: one word ending in "." and an optional "| initial", no
  word twice (ignoring case, as the tokenizer does).

--stats prints, per file, the number of entries and of surface forms.
"""
import datetime
import json
import os
import re
import sys
import unicodedata

USAGE = "usage: check-lexicon.py [--iso-dir DIR] [--partial] [--stats] PATH..."

ROLES = frozenset(
    "GOV MIL COP JUD LEG OPP REB PTY BUS MED CVL EDU LAB REL REF SPY CRM HLH ELI AGR UAF INS"
    .split()
)
INTL = ("IGO", "NGO", "IMG", "MNC")
KINDS = frozenset("country igo ngo group party person company media".split())
TAGS = frozenset("DET PRON POSS PREP CONJ SUBORD AUX MODAL NEG REL NUM ADV CORP BODY MEDIA".split())
GENDER_TAGS = frozenset(("MALE", "FEMALE", "MALE-TITLE", "FEMALE-TITLE", "TITLE"))
KNOWN = ("country-aliases.txt", "countries.gen.txt", "actors.txt", "people.txt", "roles.txt",
         "abbreviations.txt", "function-words.txt", "gender.txt")
FORM_CHARS = re.compile(r"^[\w .'’‘\-–&()/+,ʻ]+$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Checker:
    """Collects errors and the surface forms seen so far, across files."""

    def __init__(self, iso_codes):
        self.iso = iso_codes
        self.errors = 0
        self.forms = {}        # key -> [(code, period, where)]
        self.labels = {}       # (file, label) -> [(period, where)]
        self.country_lines = None  # ISO3 codes with a country-aliases line
        self.pending_codes = []    # (code, where): ISO3 codes to check at the end
        self.stats = []

    def error(self, where, message):
        path, line, col = where
        print("%s:%d:%d: error: %s" % (path, line, col, message))
        self.errors += 1

    # ------------------------------------------------------------ fields

    def lines(self, path):
        """(line number, [(field, col)]) for each non-blank line of path."""
        try:
            with open(path, encoding="utf-8") as f:
                raw_lines = f.readlines()
        except (OSError, UnicodeDecodeError) as exc:
            self.error((path, 0, 0), "cannot read: %s" % exc)
            return
        for lineno, raw in enumerate(raw_lines, 1):
            body = raw.split("#", 1)[0].rstrip("\r\n")
            if body.strip():
                yield lineno, split_fields(body)

    def check_form(self, form, where, accents_need_ascii=False):
        if not form:
            self.error(where, "empty surface form")
            return False
        if not FORM_CHARS.match(form):
            bad = "".join(sorted({c for c in form if not FORM_CHARS.match(c)}))
            self.error(where, "'%s': unexpected character(s) %r" % (form, bad))
            return False
        if "  " in form:
            self.error(where, "'%s': two spaces in a row" % form)
        if accents_need_ascii and not form.isascii() and ascii_fold(form) is None:
            self.error(where, "'%s': cannot be spelled in ASCII" % form)
        return True

    def check_code(self, code, where):
        if not re.match(r"^[A-Z0-9]{3,15}$", code):
            # 15: the longest code extract/lexicon.c accepts.
            self.error(where, "'%s': an actor code is 3 to 15 upper-case letters and digits"
                       % code)
            return False
        head, tail = code[:3], code[3:]
        if head in INTL:
            if not tail:
                self.error(where, "'%s': %s needs a sub-code (e.g. IGOUNO)" % (code, head))
                return False
            return True
        if head not in ROLES and head not in self.iso:
            self.error(where, "'%s': '%s' is neither an ISO 3166-1 alpha-3 code, a role, nor "
                       "one of %s" % (code, head, "/".join(INTL)))
            return False
        roles = [tail[i:i + 3] for i in range(0, len(tail), 3)]
        bad = [r for r in roles if r not in ROLES]
        if bad:
            self.error(where, "'%s': '%s' is not a role code (%s)" % (code, bad[0],
                                                                   " ".join(sorted(ROLES))))
            return False
        if head in self.iso:
            self.pending_codes.append((head, where))
        return True

    def claim(self, form, code, period, where):
        """Record that form names code during period; report a clash."""
        key = form_key(form)
        for other_code, other_period, other_where in self.forms.get(key, []):
            if other_code != code and overlaps(period, other_period):
                self.error(where, "'%s' names %s here but %s at %s:%d (periods overlap)"
                           % (form, code, other_code, other_where[0], other_where[1]))
                break
        self.forms.setdefault(key, []).append((code, period, where))

    # ------------------------------------------------------------ files

    def check_countries(self, path, complete):
        seen = {}
        for lineno, fields in self.lines(path):
            where = (path, lineno, 1)
            if len(fields) != 4:
                self.error(where, "expected 4 fields 'ISO3 | names | demonyms | capital and "
                           "metonyms', found %d" % len(fields))
                continue
            code, col = fields[0]
            if code not in self.iso:
                self.error((path, lineno, col), "'%s' is not an ISO 3166-1 alpha-3 code" % code)
                continue
            if code in seen:
                self.error((path, lineno, col), "%s already has a line (line %d)"
                           % (code, seen[code]))
                continue
            seen[code] = lineno
            self.country_forms(path, lineno, code, fields[1:])
        if complete:
            for code in sorted(set(self.iso) - set(seen)):
                self.error((path, 0, 0), "no line for %s (%s)" % (code, self.iso[code]))
        self.country_lines = set(seen) | (self.country_lines or set())
        self.stats.append((path, len(seen), None))

    def country_forms(self, path, lineno, code, fields):
        on_line = set()
        for index, (text, col) in enumerate(fields):
            for item, item_col in split_items(text, col):
                where = (path, lineno, item_col)
                form, role = item, ""
                if index == 0 and form.startswith("="):
                    form = item = form[1:]  # the country's label (README)
                if ">" in item:
                    form, role = item.split(">", 1)
                    if index != 2:
                        self.error(where, "a '>ROLE' suffix is only allowed in the capital and "
                                   "metonyms field")
                        continue
                    if role not in ROLES:
                        self.error(where, "'%s': unknown role '%s'" % (item, role))
                        continue
                if not self.check_form(form, where):
                    continue
                if line_key(form) in on_line:
                    self.error(where, "'%s' is listed twice on this line" % form)
                    continue
                on_line.add(line_key(form))
                self.claim(form, code + role, (None, None), where)

    def check_actors(self, path, people):
        entries = forms = 0
        for lineno, fields in self.lines(path):
            if not 2 <= len(fields) <= 4:
                self.error((path, lineno, 1), "expected 'CODE | Label | aliases | options', "
                           "found %d fields" % len(fields))
                continue
            fields += [("", 0)] * (4 - len(fields))
            (code, code_col), (label, label_col), aliases, options = fields
            entries += 1
            if not self.check_code(code, (path, lineno, code_col)):
                continue
            opts = self.parse_options(path, lineno, options, code, people)
            if opts is None:
                continue
            period = (opts.get("from"), opts.get("to"))
            if not label:
                self.error((path, lineno, label_col), "empty label")
                continue
            if people and re.search(r"\b[JS]r\.?$", label):
                self.error((path, lineno, label_col), "'%s': the surname taken from the label "
                           "would be '%s'; name the person differently and give this as an "
                           "alias" % (label, label.split()[-1]))
            self.check_label_periods(path, lineno, label_col, label, period)
            items = [(label, label_col)] + split_items(*aliases)
            forms += self.actor_forms(path, lineno, code, period, items)
        labels = len({label for (where, label) in self.labels if where == path})
        self.stats.append((path, entries, "%d labels, %d forms" % (labels, forms)))

    def actor_forms(self, path, lineno, code, period, items):
        on_line, count = set(), 0
        for form, col in items:
            where = (path, lineno, col)
            if not self.check_form(form, where, accents_need_ascii=True):
                continue
            key = line_key(form)
            if key in on_line:
                self.error(where, "'%s' is listed twice on this line" % form)
                continue
            on_line.add(key)
            count += 1
            self.claim(form, code, period, where)
        for form, col in items:
            folded = ascii_fold(form) if form and not form.isascii() else None
            if folded and line_key(folded) not in on_line:
                self.error((path, lineno, col), "'%s' has accents; also list '%s'"
                           % (form, folded))
        return count

    def check_label_periods(self, path, lineno, col, label, period):
        key = (path, label)
        for other_period, other_line in self.labels.get(key, []):
            if overlaps(period, other_period):
                self.error((path, lineno, col), "'%s' already has a line for an overlapping "
                           "period (line %d)" % (label, other_line))
                break
        self.labels.setdefault(key, []).append((period, lineno))

    def parse_options(self, path, lineno, options, code, people):
        text, col = options
        opts = {}
        for match in re.finditer(r"\S+", text):
            where = (path, lineno, col + match.start())
            token = match.group()
            name, eq, value = token.partition("=")
            if not eq or not value:
                self.error(where, "'%s': options are key=value" % token)
                return None
            if name in opts:
                self.error(where, "'%s' given twice" % name)
                return None
            if name in ("from", "to"):
                if not valid_date(value):
                    self.error(where, "'%s': not a date YYYY-MM-DD" % token)
                    return None
            elif name == "kind":
                if value not in KINDS:
                    self.error(where, "'%s': kind is one of %s" % (value, " ".join(sorted(KINDS))))
                    return None
                if not kind_fits(value, code):
                    self.error(where, "kind=%s does not fit code %s" % (value, code))
            elif name == "key":
                if not SLUG.match(value):
                    self.error(where, "'%s': key is a slug of a-z, 0-9 and '-'" % value)
                    return None
            elif name == "surname" and people:
                pass
            elif name == "office" and people:
                if not re.match(r"^[A-Za-z][A-Za-z_-]*(,[A-Za-z][A-Za-z_-]*)*$", value):
                    self.error(where, "'%s': office is a list of words joined by '_', separated by ','" % value)
                    return None
            else:
                self.error(where, "unknown option '%s' (kind, from, to, key%s)"
                           % (name, ", surname, office" if people else ""))
                return None
            opts[name] = value
        if "from" in opts and "to" in opts and opts["from"] > opts["to"]:
            self.error((path, lineno, col), "from=%s is after to=%s" % (opts["from"], opts["to"]))
            return None
        if people and opts.get("kind", "person") != "person":
            self.error((path, lineno, col), "people.txt lists persons (kind=person)")
        return opts

    def check_roles(self, path):
        words = {}
        entries = 0
        for lineno, fields in self.lines(path):
            if not 2 <= len(fields) <= 3:
                self.error((path, lineno, 1), "expected 'ROLE | words | options', found %d "
                           "fields" % len(fields))
                continue
            (role, role_col), (text, col) = fields[0], fields[1]
            option, opt_col = fields[2] if len(fields) == 3 else ("", 0)
            if role not in ROLES:
                self.error((path, lineno, role_col), "'%s' is not a role code (%s)"
                           % (role, " ".join(sorted(ROLES))))
                continue
            if option not in ("", "title"):
                self.error((path, lineno, opt_col), "'%s': the only option is 'title'" % option)
            for word, word_col in split_items(text, col):
                where = (path, lineno, word_col)
                if not self.check_form(word, where):
                    continue
                key = form_key(word)
                if key in words:
                    other = words[key]
                    self.error(where, "'%s' is already listed for %s (line %d)"
                               % (word, other[0], other[1]))
                    continue
                words[key] = (role, lineno)
                entries += 1
        self.stats.append((path, entries, entries))
        return words

    def check_abbreviations(self, path):
        seen = {}
        for lineno, fields in self.lines(path):
            word, col = fields[0]
            where = (path, lineno, col)
            if len(fields) > 2 or (len(fields) == 2 and fields[1][0] != "initial"):
                self.error(where, "expected 'WORD.' or 'WORD. | initial'")
                continue
            if " " in word or not word.endswith(".") or not re.search(r"[^\W\d_]", word):
                self.error(where, "'%s': an abbreviation is one word with its full stop" % word)
                continue
            # The tokenizer looks abbreviations up in lower case: "Vol." and "vol." are one.
            if word.lower() in seen:
                self.error(where, "'%s' is already listed (line %d; case does not count)"
                           % (word, seen[word.lower()]))
                continue
            seen[word.lower()] = lineno
        self.stats.append((path, len(seen), len(seen)))

    def check_function_words(self, path, tags=TAGS, one_tag=False):
        seen = {}
        tag_of = {}
        for lineno, fields in self.lines(path):
            if len(fields) != 2:
                self.error((path, lineno, 1), "expected 'TAG | words', found %d fields"
                           % len(fields))
                continue
            (tag, tag_col), (text, col) = fields
            if tag not in tags:
                self.error((path, lineno, tag_col), "'%s' is not a tag (%s)"
                           % (tag, " ".join(sorted(tags))))
                continue
            for word, word_col in split_items(text, col):
                where = (path, lineno, word_col)
                if not self.check_form(word, where):
                    continue
                if (tag, word.lower()) in seen:
                    self.error(where, "'%s' is already listed under %s (line %d)"
                               % (word, tag, seen[(tag, word.lower())]))
                    continue
                if one_tag and tag_of.get(word.lower(), tag) != tag:
                    self.error(where, "'%s' is listed under %s too" % (word, tag_of[word.lower()]))
                    continue
                tag_of[word.lower()] = tag
                seen[(tag, word.lower())] = lineno
        self.stats.append((path, len(seen), len({w for _, w in seen})))

    def check_pending_codes(self):
        """Codes whose country has no country-aliases.txt line (when that file was checked)."""
        if self.country_lines is None:
            return
        for head, where in self.pending_codes:
            if head not in self.country_lines:
                self.error(where, "%s has no line in country-aliases.txt" % head)

    def check_role_actor_clash(self, role_words):
        """A word cannot be both a role noun and an actor's name."""
        for key, (role, lineno) in role_words.items():
            if key in self.forms:
                code, _, where = self.forms[key][0]
                self.error(where, "'%s' is a %s role word in roles.txt (line %d) and names %s"
                           % (key, role, lineno, code))


# ---------------------------------------------------------------- helpers

def split_fields(body):
    """[(text, col)] of the '|'-separated fields of a line without its comment."""
    fields, start = [], 0
    for part in body.split("|"):
        col = start + (len(part) - len(part.lstrip())) + 1
        fields.append((part.strip(), col))
        start += len(part) + 1
    return fields


def split_items(text, col):
    """[(item, col)] of a ';'-separated list; an empty field is []."""
    if not text:
        return []
    items, start = [], 0
    for part in text.split(";"):
        items.append((part.strip(), col + start + (len(part) - len(part.lstrip()))))
        start += len(part) + 1
    return items


def form_key(form):
    """A form as the matcher sees it: case, quotes, dashes and a leading 'the' ignored."""
    return line_key(form).casefold()


def line_key(form):
    """Two forms of one line are the same when only a leading 'the' (or quotes and dashes)
    tell them apart; case counts here, since "NATO" (capitals only) and "Nato" match
    different text."""
    text = form.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    text = " ".join(text.split())
    return text[4:] if text.lower().startswith("the ") else text


def ascii_fold(text):
    out = "".join(c for c in unicodedata.normalize("NFKD", text)
                  if unicodedata.category(c) != "Mn")
    out = out.replace("ø", "o").replace("ł", "l").replace("ß", "ss").replace("ı", "i")
    return out if out.isascii() else None


def valid_date(text):
    if not DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def overlaps(a, b):
    """Do periods (from, to) overlap?  None is open; touching ends do not overlap."""
    a_from, a_to = a
    b_from, b_to = b
    return (a_to is None or b_from is None or b_from < a_to) and \
           (b_to is None or a_from is None or a_from < b_to)


def kind_fits(kind, code):
    rules = {"igo": code.startswith("IGO"), "ngo": code.startswith("NGO"),
             "party": code.endswith("PTY"), "media": code.endswith("MED"),
             "company": code.endswith("BUS") or code.startswith("MNC"),
             "country": len(code) == 3 and not code.startswith(INTL)}
    return rules.get(kind, True)


def load_iso(iso_dir):
    path = os.path.join(iso_dir, "iso_3166-1.json")
    with open(path, encoding="utf-8") as f:
        return {e["alpha_3"]: e["name"] for e in json.load(f)["3166-1"]}


def collect(paths):
    """{known file name: path}; folders give their known files."""
    found = {}
    for path in paths:
        if os.path.isdir(path):
            for name in KNOWN:
                if os.path.exists(os.path.join(path, name)):
                    found[name] = os.path.join(path, name)
        elif os.path.basename(path) in KNOWN:
            found[os.path.basename(path)] = path
        else:
            raise ValueError("%s: not a lexicon file this tool checks (%s)"
                             % (path, ", ".join(KNOWN)))
    return found


def main(argv):
    args = argv[1:]
    iso_dir, partial, stats = "/usr/share/iso-codes/json", False, False
    while args and args[0].startswith("--"):
        flag = args.pop(0)
        if flag == "--iso-dir" and args:
            iso_dir = args.pop(0)
        elif flag == "--partial":
            partial = True
        elif flag == "--stats":
            stats = True
        else:
            sys.stderr.write("%s\n" % USAGE)
            return 2
    if not args:
        sys.stderr.write("%s\n" % USAGE)
        return 2
    try:
        files = collect(args)
        iso = load_iso(iso_dir)
    except (OSError, ValueError, KeyError) as exc:
        sys.stderr.write("check-lexicon: error: %s\n" % exc)
        return 2
    checker = Checker(iso)
    # Countries first, so that actors and people are compared with them.
    if "country-aliases.txt" in files:
        checker.check_countries(files["country-aliases.txt"], complete=not partial)
    if "countries.gen.txt" in files:
        # It repeats country-aliases.txt with the same codes, which is no clash, and adds the
        # iso-codes names, which actors and people must not contradict either.
        checker.check_countries(files["countries.gen.txt"], complete=True)
    for name, people in (("actors.txt", False), ("people.txt", True)):
        if name in files:
            checker.check_actors(files[name], people)
    if "roles.txt" in files:
        checker.check_role_actor_clash(checker.check_roles(files["roles.txt"]))
    if "abbreviations.txt" in files:
        checker.check_abbreviations(files["abbreviations.txt"])
    if "function-words.txt" in files:
        checker.check_function_words(files["function-words.txt"])
    if "gender.txt" in files:  # a word is male or female, not both
        checker.check_function_words(files["gender.txt"], GENDER_TAGS, one_tag=True)
    checker.check_pending_codes()
    if stats:
        for path, entries, forms in checker.stats:
            print("%s: %d entries%s" % (os.path.basename(path), entries,
                                        "" if forms is None else ", %s forms" % forms
                                        if isinstance(forms, int) else ", " + forms))
    return 1 if checker.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
