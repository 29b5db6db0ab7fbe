#!/usr/bin/env python3
"""Execute notebooks top to bottom with the kit's tslab kernel and report readable failures.

Usage: .venv/bin/python scripts/run_notebooks.py [--output-dir DIR] [--timeout S] [NOTEBOOK ...]
(default: every notebooks/*.ipynb). `npm run test:notebooks` and `npm test` call it.

tslab reports errors on the stderr stream, not as `error` outputs, so a cell fails when its reply
status is not ok, it has an `error` output, or its stderr looks like an error. The first failing
cell of a notebook is printed with its source and its real error text; later cells are not run
(tslab aborts requests that follow an error). Executed notebooks get prompt numbers
(execution_count), which tslab does not send. The last line is `N passed, N failed`.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KERNEL = "ds-kit"


def set_jupyter_env():
    """Same variables as scripts/lib/env.mjs: everything under the repository, nothing in $HOME."""
    data = REPO / ".jupyter-data"
    os.environ["JUPYTER_PATH"] = str(REPO / "jupyter")
    os.environ["JUPYTER_DATA_DIR"] = str(data)
    os.environ.setdefault("JUPYTER_CONFIG_DIR", str(data / "config"))
    os.environ["JUPYTER_RUNTIME_DIR"] = str(data / "runtime")
    os.environ["IPYTHONDIR"] = str(data / "ipython")
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    (data / "runtime").mkdir(parents=True, exist_ok=True)


set_jupyter_env()

import nbformat  # noqa: E402  (after the environment is set)
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402

# Text on stderr that means a cell failed (tslab prints compile errors as "1:7 - message" and
# runtime errors with their name and stack).
ERROR_PATTERN = re.compile(
    r"error|exception|cannot find|is not assignable|unexpected token|^\s*at \S.*:\d+:\d+\)?$|^\d+:\d+ - ",
    re.IGNORECASE | re.MULTILINE,
)


def indent(text, prefix="    | "):
    return "\n".join(prefix + line for line in text.rstrip("\n").split("\n"))


def cell_problem(cell, reply_status):
    """The error text of an executed cell, or None when it succeeded."""
    problems = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            traceback = "\n".join(output.get("traceback", [])) or f"{output.get('ename')}: {output.get('evalue')}"
            problems.append(re.sub(r"\x1b\[[0-9;]*m", "", traceback))
        elif output.get("output_type") == "stream" and output.get("name") == "stderr":
            text = output.get("text", "")
            if ERROR_PATTERN.search(text) or reply_status not in (None, "ok"):
                problems.append(text)
    if not problems and reply_status not in (None, "ok"):
        problems.append(f"the kernel replied with status {reply_status!r} and no error text")
    return "\n".join(problems) if problems else None


def run_notebook(path, timeout, output_dir):
    """Executes one notebook; returns (ok, seconds, message)."""
    nb = nbformat.read(path, as_version=4)
    replies = {}

    def on_cell_executed(cell, cell_index, execute_reply):
        replies[cell_index] = execute_reply.get("content", {}).get("status")

    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=timeout,
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(REPO)}},
        on_cell_executed=on_cell_executed,
    )
    started = time.monotonic()
    failure = None
    with client.setup_kernel():
        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            count += 1
            try:
                client.execute_cell(cell, index, execution_count=count)
            except CellTimeoutError:
                failure = (index, cell, f"the cell did not finish within {timeout} s (--timeout)")
            except DeadKernelError as error:
                failure = (index, cell, f"the kernel died: {error}")
            cell.execution_count = count
            if failure is None:
                problem = cell_problem(cell, replies.get(index))
                if problem is not None:
                    failure = (index, cell, problem)
            if failure is not None:
                break
    seconds = time.monotonic() - started
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(output_dir / Path(path).name))
    if failure is None:
        return True, seconds, ""
    index, cell, problem = failure
    message = (
        f"  cell {index + 1} (code cell {count}) failed. Source:\n{indent(cell.source)}\n"
        f"  Error:\n{indent(problem)}"
    )
    return False, seconds, message


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--output-dir", type=Path, help="write executed notebooks (with outputs) here")
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell (default 300)")
    args = parser.parse_args()
    paths = args.notebooks or sorted(str(p.relative_to(REPO)) for p in (REPO / "notebooks").glob("*.ipynb"))
    if not paths:
        print("no notebooks found in notebooks/")
    passed = failed = 0
    for path in paths:
        try:
            ok, seconds, message = run_notebook(path, args.timeout, args.output_dir)
        except Exception as error:  # a notebook that cannot even be read or started
            ok, seconds, message = False, 0.0, f"  {type(error).__name__}: {error}"
        print(f"{'PASS' if ok else 'FAIL'} {path} ({seconds:.1f} s)", flush=True)
        if not ok:
            print(message, flush=True)
        passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
