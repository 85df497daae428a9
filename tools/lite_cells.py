"""The cells the browser edition writes: a code cell that needs Keras shown as markdown with the
output the full course stored, and a set-up cell cut down to the statements the browser runs.

A static cell reads, top to bottom: the one-line caption (`CAPTION`), the code in a ```python
fence (inside `<details><summary>The code</summary>` when the cell's source was hidden, so folded
code stays folded and shows no answer), then each stored output the way JupyterLab would show
it: its HTML inline (a widget's view by its HTML stand-in), an image as a cell attachment,
markdown as itself, plain text and streams in a ```text fence (exact text; the fence is longer
than any run of backticks in it).
"""

from __future__ import annotations

import ast
import re

CAPTION = "Ran with Keras in the full course"
SHOWN = f"*{CAPTION}; its output as stored there:*"
SILENT = f"*{CAPTION} (no output).*"
CODE_SUMMARY = "<details><summary>The code</summary>"
STATIC_SUFFIX = "-static"
KEPT_METADATA = ("tags", "slideshow")
IMAGES = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
# One representation per output, the richest first (JupyterLab's order).
ORDER = ("text/html", "text/markdown", *IMAGES, "text/plain")
BLANK_LINE = re.compile(r"\n[ \t]*\n")


def text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def lines(value: str) -> list[str]:
    """A cell's source as nbformat stores it on disk: a list of lines."""
    return value.splitlines(keepends=True)


def fenced(body: str, language: str) -> str:
    """`body` in a fence that no run of backticks inside it can close."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body}{'' if body.endswith(chr(10)) else chr(10)}{fence}"


def html_block(value: str) -> str:
    """HTML as a markdown block. A blank line would end the block and let markdown read the
    rest, so one outside a `<pre>` block (where HTML ignores it anyway) is dropped."""
    value = value.strip("\n")
    if not BLANK_LINE.search(value) or value.lstrip().startswith("<pre"):
        return value
    return BLANK_LINE.sub("\n", value)


def merged_streams(outputs: list[dict]) -> list[dict]:
    """Consecutive outputs of one stream as one (as Jupyter shows them)."""
    merged: list[dict] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            merged[-1] = {**previous, "text": text(previous["text"]) + text(output["text"])}
        else:
            merged.append(output)
    return merged


def shown_output(output: dict, index: int, attachments: dict[str, dict]) -> str:
    """One stored output as markdown; images are added to `attachments`."""
    kind = output.get("output_type")
    if kind == "stream":
        return fenced(text(output.get("text", "")), "text")
    if kind == "error":
        return fenced(f"{output.get('ename', 'Error')}: {output.get('evalue', '')}", "text")
    data = output.get("data", {})
    mime = next((m for m in ORDER if m in data), None)
    if mime is None:
        return ""
    value = data[mime]
    if mime == "text/html":
        return html_block(text(value))
    if mime == "text/markdown":
        return text(value).strip("\n")
    if mime in IMAGES:
        name = f"output-{index}.{IMAGES[mime]}"
        attachments[name] = {mime: value}
        return f"![{name}](attachment:{name})"
    return fenced(text(value), "text")


def static_cell(cell: dict) -> dict:
    """A code cell that needs Keras, as the markdown cell that shows its code and outputs."""
    source = text(cell["source"]).rstrip("\n")
    code = fenced(source + "\n", "python")
    hidden = bool(cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"))
    attachments: dict[str, dict] = {}
    outputs = [
        shown
        for index, output in enumerate(merged_streams(cell.get("outputs", [])))
        if (shown := shown_output(output, index, attachments))
    ]
    parts = [
        SHOWN if outputs else SILENT,
        f"{CODE_SUMMARY}\n\n{code}\n\n</details>" if hidden else code,
        *outputs,
    ]
    metadata = {k: v for k, v in cell.get("metadata", {}).items() if k in KEPT_METADATA}
    metadata["paramlab"] = {"edition": "lite", "ran_with": "keras", "cell": cell.get("id")}
    made = {
        "cell_type": "markdown",
        "id": f"{cell.get('id', 'cell')}"[: 64 - len(STATIC_SUFFIX)] + STATIC_SUFFIX,
        "metadata": metadata,
        "source": lines("\n\n".join(parts) + "\n"),
    }
    if attachments:
        made["attachments"] = attachments
    return made


def cut(source: str, statements: list[ast.stmt], keep: list[bool]) -> str:
    """`source` with only the kept top-level `statements`, exact text: a statement takes its own
    lines and the comment lines right above it; blank lines between kept statements stay (at
    most the widest gap of the original in each place)."""
    rows = source.split("\n")
    owner: list[int | None] = [None] * len(rows)
    for index, stmt in enumerate(statements):
        start = stmt.lineno - 1
        while start > 0 and rows[start - 1].lstrip().startswith("#") and owner[start - 1] is None:
            start -= 1
        for row in range(start, stmt.end_lineno or stmt.lineno):
            owner[row] = index
    kept: list[str] = []
    gap = widest = 0
    for row, line in enumerate(rows):
        if not line.strip():
            gap += 1
        elif owner[row] is not None and not keep[owner[row]]:
            widest, gap = max(widest, gap), 0  # the blank lines around it merge: widest stays
        else:
            kept.extend([""] * max(widest, gap) if kept else [])
            kept.append(line)
            gap = widest = 0
    return "\n".join(kept)
