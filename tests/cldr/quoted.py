"""Checks values quoted in a brief's text against CLDR as babel reads it:
the number as `format_decimal` writes it with the unit after a no-break
space, and percentages in the locale's percent pattern and symbols.

Reads a JSON file {tag: [[kind, value, unit, brief's text], ...]}; kind is
"value" (a value and its unit) or "change" (a signed percentage)."""

import decimal
import json
import sys

from babel import Locale, numbers

from check import in_digits


def expected(loc, kind, value, unit):
    locale = Locale.parse(loc)
    system = locale.default_numbering_system
    symbols = locale.number_symbols[system]
    value = decimal.Decimal(value)
    body = numbers.format_decimal(abs(value), locale=loc, numbering_system="default")
    if kind == "value" and unit != "%":
        sign = symbols["minusSign"] if value < 0 else ""
        return in_digits(sign + body, system) + "\u00a0" + unit
    pattern = locale.percent_formats[None].pattern
    sign = symbols["minusSign"] if value < 0 else ""
    if kind == "change" and value > 0:
        sign = symbols["plusSign"]
    text = pattern.replace("#,##0", "\0").replace("%", symbols["percentSign"])
    return sign + in_digits(text.replace("\0", body), system)


def main(path):
    data = json.load(open(path, encoding="utf-8"))
    problems = []
    for tag, rows in data.items():
        for kind, value, unit, got in rows:
            want = expected(tag.replace("-", "_"), kind, value, unit)
            if got != want:
                problems.append(f"{tag} {kind} {value} {unit}: brief {got!r}, CLDR {want!r}")
    print("\n".join(problems))
    print(f"{len(data)} locales, {len(problems)} disagreements")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
