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
from babel import Locale, dates, lists, numbers


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
#   es: ICU4X's 24-hour time pattern has HH (09:30) where CLDR's Hm is H:mm.
#   hy: ICU4X pads the day of month (05) where CLDR's patterns have d.
#   zh: ICU4X's medium date with weekday is yMMMEd (y年M月d日E), though
#       CLDR's medium date (y年M月d日) has the month in digits.
PAD_HOUR = {"es"}
PAD_DAY = {"hy"}
MONTH_IN_WORDS = {"zh"}


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


def main(path):
    data = json.load(open(path, encoding="utf-8"))
    problems = []
    for tag, got in data.items():
        loc = tag.replace("-", "_")
        locale = Locale.parse(loc)
        system = locale.default_numbering_system
        skeletons = locale.datetime_skeletons

        def fmt(d, pattern):
            if loc in PAD_DAY and pattern not in ("full", "long", "medium", "short"):
                pattern = widen(pattern, "d", 2)
            elif loc in PAD_DAY:
                pattern = widen(str(locale.date_formats[pattern]), "d", 2)
            return in_digits(dates.format_date(d, pattern, locale=loc), system)

        def expect(what, value, candidates):
            if value not in candidates:
                problems.append(f"{tag} {what}: brief {value!r}, CLDR {candidates!r}")

        for iso, full, long_, short, weekday in got["dates"]:
            d = datetime.date.fromisoformat(iso)
            expect(f"full date {iso}", full, {
                fmt(d, "full"),
                fmt(d, widen(widen(str(skeletons["yMMMMEd"]), "E", 4), "M", 4, True)),
            })
            expect(f"long date {iso}", long_, {fmt(d, "long"), fmt(d, str(skeletons["yMMMMd"]))})
            # ICU4X's medium date with weekday: the skeleton yMMMEd when
            # CLDR's medium date writes the month in letters (MMM), yMEd when
            # in digits (de dd.MM.y, ja y/MM/dd), its fields as wide as in the
            # medium date. One pattern, nothing else.
            medium = str(locale.date_formats["medium"])
            textual = any(len(r) >= 3 for r in runs(medium, "M")) or loc in MONTH_IN_WORDS
            p = str(skeletons["yMMMEd" if textual else "yMEd"])
            for field in "yMd":
                width = max((len(r) for r in runs(medium, field)), default=None)
                if width:
                    p = widen(p, field, width)
            expect(f"short date {iso}", short, {fmt(d, p)})
            expect(f"weekday {iso}", weekday, {fmt(d, "cccc"), fmt(d, "EEEE")})
        for hhmm, text in got["times"]:
            t = datetime.time.fromisoformat(hhmm)
            hm = str(skeletons["Hm"])
            if loc in PAD_HOUR:
                hm = widen(hm, "H", 2)
            expect(f"time {hhmm}", text, {in_digits(dates.format_time(t, hm, locale=loc), system)})
        minus = numbers.get_minus_sign_symbol(loc, numbering_system="default")
        for plain, text in got["numbers"]:
            value = decimal.Decimal(plain)
            body = numbers.format_decimal(abs(value), locale=loc, numbering_system="default")
            expect(f"number {plain}", text, {in_digits((minus if value < 0 else "") + body, system)})
        dec, group = got["separators"]
        expect("decimal separator", dec, {numbers.get_decimal_symbol(loc, numbering_system="default")})
        expect("group separator", group, {numbers.get_group_symbol(loc, numbering_system="default")})
        for n, category in got["plural"]:
            expect(f"plural of {n}", category, {locale.plural_form(decimal.Decimal(n))})
        for n, category in got["ordinal"]:
            expect(f"ordinal of {n}", category, {locale.ordinal_form(int(n))})
        expect("list", got["list"], {lists.format_list(got["list items"], locale=loc)})
    for p in problems:
        print(p)
    print(f"babel {babel.__version__}: {len(data)} locales, {len(problems)} disagreements")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
