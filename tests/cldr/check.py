"""Checks brief's dates, numbers, plurals and lists against CLDR as Python's babel reads it.

Reads the JSON that tests/cldr.rs writes (what brief formats, per locale) and
prints one line per disagreement; exits 1 if there is any. Babel carries its
own copy of CLDR, so a disagreement is either a bug in brief or a change
between the two CLDR versions; the line says which value differs.
"""

import datetime
import decimal
import json
import sys

import babel
from babel import Locale, dates, lists, localedata, numbers
from babel.core import get_global


# Digits of CLDR's numbering systems (numberingSystems.xml) that babel's
# locales name as their default; babel formats dates and numbers in Latin
# digits whatever the numbering system, so expected strings are mapped here.
ZERO = {"latn": "0", "arab": "\u0660", "arabext": "\u06f0"}


def in_digits(text, system):
    zero = ord(ZERO[system])
    return "".join(chr(zero + int(c)) if c.isdigit() and c.isascii() else c for c in text)


def widen(pattern, field, width, textual_only=False):
    """UTS 35's width adjustment: the requested width for a field of the
    matched pattern (a skeleton asking for EEEE gets the wide weekday).
    With `textual_only`, only a field already written as text (MMM) is widened."""
    out, i, quoted = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "'":
            quoted = not quoted
            out.append(c)
            i += 1
            continue
        if not quoted and c == field:
            j = i
            while j < len(pattern) and pattern[j] == field:
                j += 1
            out.append(field * (width if j - i >= 3 or not textual_only else j - i))
            i = j
            continue
        out.append(c)
        i += 1
    return "".join(out)


# Where ICU4X 2.4 (CLDR 49) and babel (CLDR 49) read the same data
# differently; each is allowed for its locale only, and nothing else is.
#   hy: ICU4X pads the day of month (05) in its long and medium dates
#       where CLDR's patterns have d (the full date is CLDR's own pattern).
PAD_DAY = {"hy", "hy_AM"}
# Group separators where the two readers of CLDR 49 differ: ICU4X takes the
# regional value, babel the language's ("de" 1.234.567, "fr" 1 234 567):
#   de-AT: ICU4X a no-break space, babel ".".
#   fr-MA: ICU4X ".", babel a narrow no-break space.
# en-US-POSIX: ICU4X's compiled data has no POSIX variant; its numbers are
#   en-US's (1,234,567.89) where CLDR's POSIX pattern has no grouping.
GROUP = {"de_AT": "\u00a0", "fr_MA": ".", "en_US_POSIX": ","}


def runs(pattern, field):
    """The runs of `field` in a pattern, outside quotes."""
    found, quoted, i = [], False, 0
    while i < len(pattern):
        if pattern[i] == "'":
            quoted = not quoted
        elif not quoted and pattern[i] == field:
            j = i
            while j < len(pattern) and pattern[j] == field:
                j += 1
            found.append(pattern[i:j])
            i = j
            continue
        i += 1
    return found


def regional(languages):
    """Every locale babel's CLDR has for `languages`, as BCP 47 tags, the
    languages themselves first: the list tests/cldr.rs checks."""
    found = [i for i in localedata.locale_identifiers() if i.split("_")[0] in languages]
    return sorted((i.replace("_", "-") for i in found), key=lambda t: (t.count("-"), t))


def parent(identifier):
    """The locale CLDR inherits from: its parentLocales entry, the root for
    a script other than the language's own (zh_Hant, az_Cyrl), else the
    identifier less its last part."""
    exceptions = get_global("parent_exceptions")
    if identifier in exceptions:
        return exceptions[identifier]
    parts = identifier.split("_")
    if len(parts) == 1:
        return "root"
    likely = get_global("likely_subtags").get(parts[0], "").split("_")
    if len(parts) == 2 and len(parts[1]) == 4 and len(likely) > 1 and likely[1] != parts[1]:
        return "root"
    return "_".join(parts[:-1])


def rust_string(text):
    return "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "\\u{%x}" % ord(c) for c in text)


def pair(locale):
    """Two items side by side ("From: desk, date"): CLDR's standard list
    pattern for the middle of a list, except where that joins with "and"
    (Arabic's و: its comma instead, as its full date pattern separates) or
    with the enumeration comma of like items (Chinese 、: its ordinary
    comma ，)."""
    if locale.language == "ar":
        return "{0}\u060c {1}"
    if locale.language == "zh":
        return "{0}\uff0c{1}"
    return str(locale.list_patterns["standard"]["middle"])


def patterns(tags):
    """The tables of CLDR patterns brief carries (crates/brief-core/src/locale/patterns.rs):
    each locale whose pattern differs from its parent's."""
    reads = {
        "FULL": lambda l: str(l.date_formats["full"]),
        "SHORT": lambda l: str(l.datetime_skeletons["yMMMEd"]),
        "HM": lambda l: str(l.datetime_skeletons["Hm"]),
        "GLUE": lambda l: str(l.datetime_formats["full"]),
        "PAIR": pair,
    }
    for name, read in reads.items():
        rows = []
        for tag in sorted(tags, key=lambda t: (t.count("-"), t)):
            identifier = tag.replace("-", "_")
            # Its CLDR parent, and the identifier less its last part, which
            # is what ICU4X's fallback takes where they differ (zh-Hant-MO).
            ups = {parent(identifier)}
            if identifier.count("_") == 2:
                ups.add(identifier.rsplit("_", 1)[0])
            value = read(Locale.parse(identifier))
            if any(up == "root" or read(Locale.parse(up)) != value for up in ups):
                rows.append(f'    ("{tag}", "{rust_string(value)}"),')
        print(f"const {name}: [(&str, &str); {len(rows)}] = [")
        print("\n".join(rows))
        print("];")


def main(path):
    data = json.load(open(path, encoding="utf-8"))
    problems = []
    for tag, got in data.items():
        loc = tag.replace("-", "_")
        locale = Locale.parse(loc)
        system = locale.default_numbering_system
        skeletons = locale.datetime_skeletons

        def fmt(d, pattern, pad=True):
            if not pad:
                pass
            elif loc in PAD_DAY and pattern not in ("full", "long", "medium", "short"):
                pattern = widen(pattern, "d", 2)
            elif loc in PAD_DAY:
                pattern = widen(str(locale.date_formats[pattern]), "d", 2)
            return in_digits(dates.format_date(d, pattern, locale=loc), system)

        def expect(what, value, candidates):
            if value not in candidates:
                problems.append(f"{tag} {what}: brief {value!r}, CLDR {candidates!r}")

        for iso, full, long_, short, weekday in got["dates"]:
            d = datetime.date.fromisoformat(iso)
            expect(f"full date {iso}", full, {fmt(d, "full", pad=False)})
            expect(f"long date {iso}", long_, {fmt(d, "long"), fmt(d, str(skeletons["yMMMMd"]))})
            expect(f"short date {iso}", short, {fmt(d, str(skeletons["yMMMEd"]), pad=False)})
            expect(f"weekday {iso}", weekday, {fmt(d, "cccc"), fmt(d, "EEEE")})
        for hhmm, text in got["times"]:
            t = datetime.time.fromisoformat(hhmm)
            hm = str(skeletons["Hm"])
            expect(f"time {hhmm}", text, {in_digits(dates.format_time(t, hm, locale=loc), system)})
        minus = numbers.get_minus_sign_symbol(loc, numbering_system="default")
        decimal_mark = numbers.get_decimal_symbol(loc, numbering_system="default")
        group_mark = GROUP.get(loc, numbers.get_group_symbol(loc, numbering_system="default"))
        for plain, text in got["numbers"]:
            value = decimal.Decimal(plain)
            body = numbers.format_decimal(abs(value), locale=loc, numbering_system="default")
            if "'" in group_mark or loc in GROUP:
                # babel drops an apostrophe group separator (de-CH 1'234'567.89)
                # when it writes a number, though its data names it: the
                # number in en's grouping, with the locale's own marks.
                en = numbers.format_decimal(abs(value), locale="en")
                body = en.replace(",", "\0").replace(".", decimal_mark).replace("\0", group_mark)
            expect(f"number {plain}", text, {in_digits((minus if value < 0 else "") + body, system)})
        dec, group = got["separators"]
        expect("decimal separator", dec, {decimal_mark})
        expect("group separator", group, {group_mark})
        for n, category in got["plural"]:
            expect(f"plural of {n}", category, {locale.plural_form(decimal.Decimal(n))})
        for n, category in got["ordinal"]:
            expect(f"ordinal of {n}", category, {locale.ordinal_form(int(n))})
        expect("list", got["list"], {lists.format_list(got["list items"], locale=loc)})
        # The date and time of a meeting, joined by the locale's full
        # date-time pattern (CLDR's dateTimeFormats, "{1}" the date).
        date_text, time_text, joined = got["date and time"]
        glue = str(locale.datetime_formats["full"])
        expect("date and time", joined, {glue.replace("{1}", date_text).replace("{0}", time_text)})
    for p in problems:
        print(p)
    print(f"babel {babel.__version__}: {len(data)} locales, {len(problems)} disagreements")
    return 1 if problems else 0


if __name__ == "__main__":
    if sys.argv[1] == "--locales":
        print("\n".join(regional(set(sys.argv[2:]))))
        sys.exit(0)
    if sys.argv[1] == "--patterns":
        # The supported tags, as tests/cldr.rs resolves them, one a line on stdin.
        patterns(sys.stdin.read().split())
        sys.exit(0)
    sys.exit(main(sys.argv[1]))
