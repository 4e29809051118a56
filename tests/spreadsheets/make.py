"""Writes the spreadsheet fixtures of tests/spreadsheets.rs with independent
writers (openpyxl for XLSX, odfpy for ODS), then reads every one back with
pandas and prints what it read as JSON: the values brief must read too.

Usage: make.py FOLDER
"""

import datetime
import json
import re
import sys
import zipfile

import openpyxl
import pandas as pd
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

out = sys.argv[1]


def xlsx():
    wb = Workbook()
    ws = wb.active
    ws.title = "Turnover"
    ws.append(["Year", "Trade turnover"])
    ws.append(["2020", 5.4])
    ws.append(["Jan–May 2021", 3.6])
    ws = wb.create_sheet("Jan-May")
    ws.append(["Period", "Trade turnover"])
    ws.append(["Jan–May 2020", 2.2])
    ws.append(["Jan–May 2021", 3.6])
    # Dates as categories, integers and floats, a gap, a formula.
    ws = wb.create_sheet("Monthly")
    ws.append(["Month", "Exports", "Imports"])
    for i in range(12):
        ws.append([datetime.datetime(2020, i + 1, 1), 100 + i, None if i == 5 else 0.25 * i])
    ws["B14"] = "=B2+B3"
    ws["A14"] = datetime.datetime(2021, 1, 1)
    # A thousand rows, for the benchmark and the comparison.
    ws = wb.create_sheet("Long")
    ws.append(["Day", "Value"])
    for i in range(1000):
        ws.append([f"d{i}", (i * 37 % 101) / 7])
    wb.save(f"{out}/trade.xlsx")
    # openpyxl writes formulas without a saved value; give this one the value
    # a spreadsheet program would have saved (B2+B3 = 201).
    src = f"{out}/trade.xlsx"
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet3.xml"
    xml = parts[name].decode()
    xml, n = re.subn(r"<f>B2\+B3</f><v\s*/>|<f>B2\+B3</f><v>\s*</v>|<f>B2\+B3</f>(?!<v)", "<f>B2+B3</f><v>201</v>", xml)
    assert n == 1, xml[-400:]
    parts[name] = xml.encode()
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)

    # Error classes.
    wb = Workbook()
    ws = wb.active
    ws.title = "Exports"
    ws.append(["Year", "Partner", "Value"])
    for i in range(5):
        ws.append([str(2015 + i), "KG", 1.5 + i])
    ws.append(["2020", "KG", "n/a"])  # C7
    ws = wb.create_sheet("Formula")
    ws.append(["Year", "Value"])
    ws.append(["2020", 1])
    ws.append(["2021", "=B2*2"])  # no saved value
    ws = wb.create_sheet("Errors")
    ws.append(["Year", "Value"])
    ws.append(["2020", 1])
    ws.append(["2021", 2])
    wb.save(f"{out}/bad.xlsx")
    src = f"{out}/bad.xlsx"
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet3.xml"
    xml = parts[name].decode()
    xml, n = re.subn(r'<c r="B3"([^>]*)><v>2</v></c>', '<c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c>', xml)
    assert n == 1, xml
    parts[name] = xml.encode()
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    # Half-written: the first half of a good file.
    with open(f"{out}/trade.xlsx", "rb") as f:
        data = f.read()
    with open(f"{out}/half.xlsx", "wb") as f:
        f.write(data[: len(data) // 2])


def ods():
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Turnover")

    def row(*cells):
        tr = TableRow()
        for c in cells:
            if c is None:
                tc = TableCell()
            elif isinstance(c, str):
                tc = TableCell(valuetype="string")
                tc.addElement(P(text=c))
            elif isinstance(c, datetime.date):
                tc = TableCell(valuetype="date", datevalue=c.isoformat())
                tc.addElement(P(text=c.isoformat()))
            else:
                tc = TableCell(valuetype="float", value=c)
                tc.addElement(P(text=str(c)))
            tr.addElement(tc)
        table.addElement(tr)

    row("Month", "Exports", "Imports")
    for i in range(6):
        row(datetime.date(2021, i + 1, 1), 10.5 + i, None if i == 2 else 3 * i)
    doc.spreadsheet.addElement(table)
    doc.save(f"{out}/trade.ods")


def read_back():
    def frame(path, sheet, engine):
        df = pd.read_excel(path, sheet_name=sheet, engine=engine)
        cols = {}
        for name in df.columns:
            vals = []
            for v in df[name]:
                if isinstance(v, (pd.Timestamp, datetime.datetime, datetime.date)):
                    vals.append(pd.Timestamp(v).date().isoformat())
                elif isinstance(v, str):
                    vals.append(v)
                elif pd.isna(v):
                    vals.append(None)
                else:
                    vals.append(float(v))
            cols[str(name)] = vals
        return cols

    got = {}
    for sheet in ["Turnover", "Jan-May", "Monthly", "Long"]:
        got[f"trade.xlsx/{sheet}"] = frame(f"{out}/trade.xlsx", sheet, "openpyxl")
    got["trade.ods/Turnover"] = frame(f"{out}/trade.ods", "Turnover", "odf")
    # The date the workbook says it was saved, as openpyxl reads it back.
    modified = openpyxl.load_workbook(f"{out}/trade.xlsx").properties.modified
    got["trade.xlsx/properties"] = {"modified": [modified.date().isoformat()]}
    for name in ["ext_lt.csv", "dot.csv"]:
        df = pd.read_csv(f"{out}/{name}", dtype=str, keep_default_na=False)
        got[name] = {c: list(df[c]) for c in df.columns}
    print(json.dumps(got))


xlsx()
ods()
if len(sys.argv) > 2 and sys.argv[2] == "read":
    read_back()
