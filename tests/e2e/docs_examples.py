#!/usr/bin/python3
"""The examples of the documentation run, and print what the documentation shows.

Runs every command block of README.md (fenced ```sh, ```bash and ```console blocks) and every
block of the EXAMPLES sections of the man pages (man/*.1, man/*.7: each .RS ... .RE), in a
scratch directory that looks like the source tree (data/, scripts/, tests/ linked, build/bin the
programs under test, which are also first on PATH). A block passes when it exits 0 (bash -e -o
pipefail) and, where the documentation shows its output, prints it.

Markers (invisible when the page is read):
  README.md, on the line before a fence:       man page, on the line before .RS:
    <!-- docs-test: skip REASON -->              .\\" docs-test: skip REASON
    <!-- docs-test: setup COMMAND -->            .\\" docs-test: setup COMMAND
    <!-- docs-test: output -->  (before a plain fence: the output of the block before it)
  man page, inside a block:  .\\" docs-test: output  (the lines after it are the output)
  README.md ```console blocks: lines starting with "$ " are commands (an indented line after
  one ending in | or \\ continues it); the other lines are their output.
A skipped block is counted and its reason printed. setup runs a command (hidden from the
reader) before the block, e.g. to make a file the example takes as given.

Shown output is matched line by line: a line "[...]" or "…" alone stands for any number of
lines, and "…" or "..." within a line for any text. Simple assignments (M=...) and cd lines of
earlier blocks of the same document carry over to later ones; every /tmp/ path is moved into
the scratch directory, so that runs do not meet. Blocks of one document share a directory,
documents do not. head reads its input to its end: a program whose reader leaves early exits
141 (mlpipe(7)), which pipefail would count as a failure of the example.

Usage: docs_examples.py BIN_DIR ROOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARKER_MD = re.compile(r"^<!--\s*docs-test:\s*(\w+)\s*(.*?)\s*-->\s*$")
MARKER_MAN = re.compile(r'^\.\\"\s*docs-test:\s*(\w+)\s*(.*?)\s*$')
DRAINING_HEAD = 'head() { command head "$@"; local s=$?; cat >/dev/null; return $s; }'
TIMEOUT = 120  # seconds a block may take
CARRIED = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*=\S+|cd \S+)$")


class Block:
    def __init__(self, doc, line, lang):
        self.doc, self.line, self.lang = doc, line, lang
        self.commands = []   # lines of shell
        self.output = None   # lines shown as its output, or None
        self.skip = None     # reason
        self.setup = []

    def where(self):
        return f"{self.doc}:{self.line}"


def readme_blocks(path, name):
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks, markers, last_run = [], [], None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = MARKER_MD.match(line)
        if m:
            markers.append((m.group(1), m.group(2)))
            i += 1
            continue
        fence = re.match(r"^```(\S*)\s*$", line)
        if not fence:
            if line.strip():
                markers = []  # a marker belongs to the fence right after it
            i += 1
            continue
        lang, start = fence.group(1), i + 1
        j = start
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        body = lines[start:j]
        kinds = dict(markers)
        if lang in ("sh", "bash", "console"):
            b = Block(name, start, lang)
            b.skip = kinds.get("skip")
            b.setup = [v for k, v in markers if k == "setup"]
            if lang == "console":
                b.commands, b.output = split_console(body)
            else:
                b.commands = body
            blocks.append(b)
            last_run = b
        elif "output" in kinds:
            if last_run is None:
                raise SystemExit(f"{name}:{start}: an output block with no command block before it")
            last_run.output = body
        elif lang == "" and last_run is not None and "skip" in kinds:
            pass
        markers = []
        i = j + 1
    return blocks


def split_console(body):
    commands, output, continuing = [], [], False
    for line in body:
        if line.startswith("$ "):
            commands.append(line[2:])
        elif continuing and line[:1].isspace():
            commands.append(line)
        else:
            output.append(line)
            continuing = False
            continue
        continuing = line.rstrip().endswith(("|", "\\"))
    return commands, (output if output else None)


def unescape_roff(line):
    line = re.sub(r"\\f[BIRP]|\\f\(..|\\&", "", line)
    line = line.replace(r"\(mu", "×").replace(r"\[u2026]", "…").replace(r"\(em", "—")
    line = line.replace(r"\-", "-").replace(r"\e", "\\").replace(r"\\", "\\")
    return line


def man_blocks(path, name):
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks, in_examples, markers, i = [], False, [], 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(".SH"):
            in_examples = line.split(None, 1)[1:] == ["EXAMPLES"]
            i += 1
            continue
        if not in_examples:
            i += 1
            continue
        m = MARKER_MAN.match(line)
        if m:
            markers.append((m.group(1), m.group(2)))
            i += 1
            continue
        if line.strip() != ".RS":
            if line.strip() and not line.startswith(".PP"):
                markers = []
            i += 1
            continue
        b = Block(name, i + 1, "man")
        kinds = dict(markers)
        b.skip = kinds.get("skip")
        b.setup = [v for k, v in markers if k == "setup"]
        markers = []
        target = b.commands
        i += 1
        while i < len(lines) and lines[i].strip() != ".RE":
            line = lines[i]
            m = MARKER_MAN.match(line)
            if m and m.group(1) == "output":
                b.output = []
                target = b.output
            elif line.strip() in (".nf", ".fi"):
                pass
            elif line.strip() == ".sp":
                target.append("")
            elif line.startswith(".") and not line.startswith(".\\\""):
                raise SystemExit(f"{name}:{i + 1}: request {line.split()[0]} inside an example")
            elif not line.startswith(".\\\""):
                target.append(unescape_roff(line))
            i += 1
        blocks.append(b)
        i += 1
    return blocks


def output_pattern(shown):
    parts = []
    for line in shown:
        if line.strip() in ("[...]", "…"):
            parts.append(r"(?:[^\n]*\n)*?")
            continue
        pieces = re.split(r"…|\.\.\.", line)
        parts.append(r"[^\n]*?".join(re.escape(p) for p in pieces) + r"\n")
    return re.compile("".join(parts))


def first_difference(shown, actual):
    """A line of the shown output that does not appear in the actual output, for the report."""
    got = actual.split("\n")
    for line in shown:
        if line.strip() in ("[...]", "…", ""):
            continue
        pat = output_pattern([line])
        if not any(pat.fullmatch(g + "\n") for g in got):
            return line
    return None


def main():
    bin_dir, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    docs = [("README.md", readme_blocks(os.path.join(root, "README.md"), "README.md"))]
    for page in sorted(os.listdir(os.path.join(root, "man"))):
        if re.search(r"\.[17]$", page):
            docs.append((f"man/{page}", man_blocks(os.path.join(root, "man", page), f"man/{page}")))
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}", LC_ALL="C.UTF-8")
    # What the README and mlmr(1) say running as root needs, and room for 2 ranks on a small machine.
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    have_mpirun = shutil.which("mpirun") is not None and os.path.exists(os.path.join(bin_dir, "mlmr"))

    ran, skipped, failed = 0, [], []
    scratch = tempfile.mkdtemp(prefix="docs-examples.")
    try:
        for doc, blocks in docs:
            work = os.path.join(scratch, doc.replace("/", "_"))
            os.makedirs(os.path.join(work, "build"))
            os.makedirs(os.path.join(work, "tmp"))
            for d in ("data", "scripts", "tests"):
                os.symlink(os.path.join(root, d), os.path.join(work, d))
            os.symlink(bin_dir, os.path.join(work, "build", "bin"))
            carried = []
            for b in blocks:
                text = "\n".join(b.commands)
                if b.skip is None and "mpirun" in text and not have_mpirun:
                    b.skip = "no mpirun or mlmr here"
                if b.skip is not None:
                    skipped.append((b.where(), b.skip))
                else:
                    script = "\n".join([DRAINING_HEAD] + carried + b.setup + b.commands).replace("/tmp/", work + "/tmp/")
                    ran += 1
                    try:
                        r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=work, env=env,
                                           stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
                    except subprocess.TimeoutExpired:
                        failed.append(f"{b.where()}: still running after {TIMEOUT} s (mark it skip if it never ends)")
                        continue
                    out = r.stdout.decode("utf-8", "replace")
                    err = r.stderr.decode("utf-8", "replace")
                    if r.returncode != 0:
                        failed.append(f"{b.where()}: exit status {r.returncode}\n    "
                                      + "\n    ".join(err.strip().split("\n")[-5:]))
                    elif b.output is not None and not output_pattern(b.output).fullmatch(out):
                        line = first_difference(b.output, out)
                        why = f"shown line not printed: {line!r}" if line else "lines shown in another order or number"
                        failed.append(f"{b.where()}: the output is not what the documentation shows ({why});"
                                      f" printed:\n    " + "\n    ".join(out.rstrip("\n").split("\n")[:40]))
                # Assignments and cd of a block hold for the blocks after it (as when read in order).
                carried += [c for c in b.commands if CARRIED.match(c.strip())]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    for where, why in skipped:
        print(f"skipped {where}: {why}")
    for f in failed:
        print(f"FAIL: {f}")
    checked = sum(1 for _, bs in docs for b in bs if b.output is not None and b.skip is None)
    print(f"docs_examples: {ran} blocks run ({checked} with their shown output compared), {len(skipped)} skipped, "
          f"{len(failed)} failed, from {len(docs)} documents")
    return 1 if failed or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
