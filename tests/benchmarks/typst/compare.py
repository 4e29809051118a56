"""Typst's side of `cargo bench`'s speed comparison (PyPI `typst`).

Prints two numbers in milliseconds, as `name value` lines:
  cold   first compile in a fresh process: fonts loaded, nothing cached
         (the Python interpreter's own start is not counted);
  reused median compile of the same document with one reused Compiler,
         which is Typst's batch mode.
"""
import statistics
import sys
import time

import typst

here = sys.argv[1]  # this folder
fonts = sys.argv[2]  # the project's fonts/
out = sys.argv[3]  # a scratch PDF path

t = time.perf_counter()
compiler = typst.Compiler(f"{here}/az-kg.typ", font_paths=[fonts], ignore_system_fonts=True)
compiler.compile(output=out)
cold = time.perf_counter() - t

runs = []
for _ in range(30):
    t = time.perf_counter()
    compiler.compile(output=out)
    runs.append(time.perf_counter() - t)
print(f"cold {cold * 1000:.2f}")
print(f"reused {statistics.median(runs) * 1000:.2f}")
