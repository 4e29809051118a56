"""Typst's side of `cargo bench`'s speed comparison (PyPI `typst`).

Prints two numbers in milliseconds, as `name value` lines:
  cold   one brief in a fresh process: loading Typst (the import), reading
         the fonts and compiling; the Python interpreter's own start is not
         counted, as `brief`'s process start is;
  reused median compile with one reused Compiler, each with a different
         title (sys.inputs), as the 200 briefs of `brief`'s batch differ:
         Typst's batch mode, its memoisation reusing what did not change.
"""
import statistics
import sys
import time

t = time.perf_counter()
import typst  # noqa: E402 (timed: loading Typst is part of a cold run)

here = sys.argv[1]  # this folder
fonts = sys.argv[2]  # the project's fonts/
out = sys.argv[3]  # a scratch PDF path

compiler = typst.Compiler(f"{here}/az-kg.typ", font_paths=[fonts], ignore_system_fonts=True)
compiler.compile(output=out)
cold = time.perf_counter() - t

runs = []
for i in range(30):
    t = time.perf_counter()
    compiler.compile(output=out, sys_inputs={"n": str(i)})
    runs.append(time.perf_counter() - t)
print(f"cold {cold * 1000:.2f}")
print(f"reused {statistics.median(runs) * 1000:.2f}")
