"""JSON (RFC 8259) and UTF-8 conformance of every program, case by case.

Each case is a field value (or a whole line) that a program does not read but must copy
through or refuse. For every program:
  - every valid value comes out byte for byte, with exit status 0;
  - every invalid one stops the program with exit status 1 and exactly one line
    `TOOL: error: FILE:LINE: invalid JSON at column N: …` naming the bad record;
  - with --on-error=skip --rejects FILE every invalid record is skipped and counted, the
    rejects file holds exactly those lines in order, and no good record is lost.
Then mlmr on 2 ranks must give the shell pipeline's bytes on the valid cases and skip the
same records. Usage: conformance.py BIN_DIR ROOT (exit 77 when something it needs is absent).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

BIN, ROOT = sys.argv[1], sys.argv[2]

# Valid values: numbers of every form (including ones no double holds: a tool that does not
# read them must not reinterpret them), escapes, surrogate pairs, noncharacters, nesting,
# white space.
VALID = [
    b'0', b'-0', b'1.5', b'-1.25e-7', b'1E+2', b'123456789012345678901234567890', b'1e400', b'-1e400',
    b'1e-400', b'0e9999999999999999999999999999', b'1e0000000000000000000000000000000000000000000000000000000000',
    b'true', b'false', b'null', b'""', b'"plain"', b'"\\" \\\\ \\/ \\b \\f \\n \\r \\t"', b'"\\u0000"',
    b'"\\u00e9\\u00E9"', b'"\\ud83d\\ude00"', b'"\\uDBFF\\uDFFF"', b'"\\uFFFE\\uFFFF\\uFDD0"',
    '"é € 😀 ∑ 日本"'.encode(), b'"\xef\xbf\xbf"', b'"\xef\xb7\x90"', b'"\xf4\x8f\xbf\xbf"', b'"\x7f"',
    b'[]', b'{}', b'[' * 200 + b'1' + b']' * 200, b'{"a":{"b":{"c":[{"d":null}]}}}',
    b'{"dup":1,"dup":2}', b'{"":0}', b'[ 1 , 2 ]', b'{ "a" : 1 }', b'[\t1,\r2 ]', b'"' + b'x' * 5000 + b'"',
    b'[' + b','.join(b'%d' % i for i in range(500)) + b']', b'"\\\\u0041"', b'"a/b"',
]

# Invalid values, each breaking one rule.
INVALID = [
    (b'{]}', 'structure'), (b'[1,,2]', 'structure'), (b'[1,]', 'trailing comma'), (b'{"a":1,}', 'trailing comma'),
    (b'[NaN]', 'literal'), (b'Infinity', 'literal'), (b'tru', 'literal'), (b'nul', 'literal'), (b'True', 'literal'),
    (b'01', 'number'), (b'-', 'number'), (b'+1', 'number'), (b'1.', 'number'), (b'.5', 'number'), (b'1e', 'number'),
    (b'1e+', 'number'), (b'0x1F', 'number'), (b'1.5.2', 'number'), (b'--1', 'number'),
    (b'"\\x"', 'escape'), (b'"\\u12"', 'escape'), (b'"\\u12G4"', 'escape'), (b'"\\U0041"', 'escape'), (b"'a'", 'quote'),
    (b'"\x01"', 'control'), (b'"\x1f"', 'control'), (b'"a\tb"', 'control'), (b'"\x00"', 'control'),
    (b'"\\ud800"', 'surrogate'), (b'"\\udc00"', 'surrogate'), (b'"\\ud800\\u0041"', 'surrogate'),
    (b'"\\udfff\\ud800"', 'surrogate'), (b'"\\ud800\\ud800"', 'surrogate'),
    (b'{"a"}', 'structure'), (b'{"a":}', 'structure'), (b'{a:1}', 'structure'), (b'{1:2}', 'structure'),
    (b'[1 2]', 'structure'), (b'[', 'structure'), (b'{"a":[}', 'structure'), (b'"open', 'structure'),
    (b'[' * 1100 + b']' * 1100, 'depth'),
    (b'"\xff"', 'utf8'), (b'"\xc0\xaf"', 'utf8 overlong'), (b'"\xe0\x80\xaf"', 'utf8 overlong'),
    (b'"\xf0\x80\x80\xaf"', 'utf8 overlong'), (b'"\xed\xa0\x80"', 'utf8 surrogate'), (b'"\xed\xbf\xbf"', 'utf8 surrogate'),
    (b'"\xf4\x90\x80\x80"', 'utf8 beyond U+10FFFF'), (b'"\xc3"', 'utf8 truncated'), (b'"\xe2\x82"', 'utf8 truncated'),
    (b'"\xf0\x9f\x98"', 'utf8 truncated'), (b'"\x80"', 'utf8 lone continuation'), (b'"\xf8\x88\x80\x80\x80"', 'utf8 five bytes'),
    (b'"\xfe"', 'utf8'), (b'\xc2\xa01', 'white space'), (b'\x0b1', 'white space'),
]

# Whole lines that are not one JSON object.
INVALID_LINES = [
    b'[1,2]', b'"text"', b'42', b'null', b'{"a":1} {"b":2}', b'{"a":1}x', b'{"a":1', b'not json', b'{"a":1}}',
    b'{"\xff":1}', b'{"k\\ud800":1}', b'\xef\xbb\xbf{"a":1}',
]


def carrier_programs():
    data = os.path.join(ROOT, 'tests', 'data')
    model = os.path.join(data, 'model', 'iris-rbf.model')
    pair = open(os.path.join(data, 'pairs', 'pairs.ndjson'), 'rb').readline().rstrip(b'\n')
    # name, argv, lines around the case (the case goes where EXTRA is), what one good record
    # gives (output lines), whether the program writes records (mltrain writes a model).
    return [
        ('mlsplit', ['mlsplit', '--ndjson'], b'{"doc":"d","text":"One sentence. Two sentences.","extra":EXTRA}', 2),
        ('mlfeat', ['mlfeat'], b'{"text":"Some words here.","extra":EXTRA}', 1),
        ('mlclassify', ['mlclassify', '-m', 'iris=' + model], b'{"x":[-0.5,0.25,-0.8,-0.9],"extra":EXTRA}', 1),
        ('mljoin', ['mljoin'],
         b'{"doc":"a","sent":0,"scores":{"claim":1,"support":1},"extra":EXTRA}', 1),
        ('mllink', ['mllink', '--features-only', '--dim', '16'], pair[:-1] + b',"extra":EXTRA}', 1),
        ('mltrain', ['mltrain', '-o', 'MODEL'], b'{"x":[1,2],"label":"a","extra":EXTRA}', 0),
    ]


failures = []


def fail(msg):
    failures.append(msg)
    if len(failures) <= 20:
        print('FAIL: ' + msg, file=sys.stderr)


def run(argv, stdin_path, tmp):
    argv = [a.replace('MODEL', os.path.join(tmp, 'm.model')) for a in argv]
    argv[0] = os.path.join(BIN, argv[0])
    with open(stdin_path, 'rb') as f:
        p = subprocess.run(argv + [stdin_path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout, p.stderr


def training_rows():
    # mltrain needs two classes; the case rides on rows of class a.
    return [b'{"x":[0,%d],"label":"b"}' % i for i in range(4)] + [b'{"x":[1,%d],"label":"a"}' % i for i in range(4)]


def main():
    for tool in ['mlsplit', 'mlfeat', 'mlclassify', 'mljoin', 'mllink', 'mltrain']:
        if not os.access(os.path.join(BIN, tool), os.X_OK):
            print('conformance: no %s in %s' % (tool, BIN), file=sys.stderr)
            return 77
    tmp = tempfile.mkdtemp()
    try:
        return check_all(tmp)
    finally:
        shutil.rmtree(tmp)


def check_all(tmp):
    checked = 0
    for name, argv, template, per_record in carrier_programs():
        good = template.replace(b'EXTRA', b'0')
        base = training_rows() if name == 'mltrain' else []
        path = os.path.join(tmp, name + '.ndjson')

        # Every valid value, one record each, comes out verbatim.
        lines = base + [template.replace(b'EXTRA', v) for v in VALID]
        open(path, 'wb').write(b'\n'.join(lines) + b'\n')
        status, out, err = run(argv, path, tmp)
        if status != 0:
            fail('%s: valid values: exit %d: %s' % (name, status, err.decode(errors='replace')[:300]))
        for v in VALID:
            if per_record and b'"extra":' + v not in out:
                fail('%s: valid value %r is not in the output verbatim' % (name, v[:60]))
        checked += len(VALID)

        # Each invalid value or line: one located error line, exit 1.
        cases = [(template.replace(b'EXTRA', v), why) for v, why in INVALID] + [(l, 'line') for l in INVALID_LINES]
        pattern = re.compile(rb'^%s: error: %s:%d: invalid JSON at column \d+: [^\n]+\n$' %
                             (name.encode(), re.escape(path.encode()),
                              len(base) + 2))
        expected_type = re.compile(rb'^%s: error: %s:%d: expected a JSON object, found [a-z ]+\n$' %
                                   (name.encode(), re.escape(path.encode()), len(base) + 2))
        for bad, why in cases:
            open(path, 'wb').write(b'\n'.join(base + [good, bad, good]) + b'\n')
            status, out, err = run(argv, path, tmp)
            if status != 1 or not (pattern.match(err) or (why == 'line' and expected_type.match(err))):
                fail('%s: invalid (%s) %r: exit %d, stderr %r' % (name, why, bad[:60], status, err[:300]))
            checked += 1

        # All of them at once, skipped and counted: the rejects file holds exactly the bad
        # lines, in order, and every good record is there.
        rejects = os.path.join(tmp, 'rejects')
        lines = list(base)
        for bad, _ in cases:
            lines += [good, bad]
        lines.append(good)
        open(path, 'wb').write(b'\n'.join(lines) + b'\n')
        status, out, err = run(argv + ['--on-error=skip', '--rejects', rejects], path, tmp)
        want = b''.join(bad + b'\n' for bad, _ in cases)
        got = open(rejects, 'rb').read() if os.path.exists(rejects) else b''
        if status != 0:
            fail('%s: --on-error=skip: exit %d: %r' % (name, status, err[-300:]))
        if got != want:
            fail('%s: --rejects holds %d bytes, expected the %d bad lines (%d bytes)' % (name, len(got), len(cases), len(want)))
        summary = b'%s: skipped %d bad records of %d\n' % (name.encode(), len(cases), len(lines))
        if not err.endswith(summary):
            fail('%s: --on-error=skip: stderr does not end with %r: %r' % (name, summary, err[-200:]))
        if per_record and name != 'mljoin' and out.count(b'\n') != per_record * (len(cases) + 1):
            fail('%s: --on-error=skip wrote %d lines, expected %d' % (name, out.count(b'\n'), per_record * (len(cases) + 1)))
        os.path.exists(rejects) and os.remove(rejects)

    checked += check_mlmr(tmp)
    print('conformance: %d checks, %d failed' % (checked, len(failures)))
    return 1 if failures else 0


def check_mlmr(tmp):
    mpirun = shutil.which('mpirun')
    if not mpirun or not os.access(os.path.join(BIN, 'mlmr'), os.X_OK):
        print('conformance: no mpirun or mlmr: mlmr cases not run', file=sys.stderr)
        return 0
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT='1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM='1', OMPI_MCA_rmaps_base_oversubscribe='1')
    template = b'{"doc":"dDOC","text":"One sentence. Two sentences.","extra":EXTRA}'
    lines = [template.replace(b'DOC', b'%d' % i).replace(b'EXTRA', v) for i, v in enumerate(VALID)]
    bad = [template.replace(b'DOC', b'bad%d' % i).replace(b'EXTRA', v) for i, (v, _) in enumerate(INVALID)]
    path = os.path.join(tmp, 'mr.ndjson')
    mixed = []
    for i, line in enumerate(lines):
        mixed.append(line)
        if i < len(bad):
            mixed.append(bad[i])
    mixed += bad[len(lines):]
    open(path, 'wb').write(b'\n'.join(mixed) + b'\n')
    shell = subprocess.run([os.path.join(BIN, 'mlsplit'), '--ndjson', '--on-error=skip', path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
    mr = subprocess.run([mpirun, '-n', '2', os.path.join(BIN, 'mlmr'), '--on-error=skip', 'mlsplit --ndjson', path],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300, env=env)
    if mr.returncode != 0:
        fail('mlmr: exit %d: %r' % (mr.returncode, mr.stderr[-300:]))
    elif mr.stdout != shell.stdout:
        fail('mlmr on 2 ranks differs from the shell pipeline on the conformance cases')
    elif b'skipped %d bad records' % len(bad) not in mr.stderr:
        fail('mlmr: expected %d skipped records: %r' % (len(bad), mr.stderr[-300:]))
    return 1


if __name__ == '__main__':
    sys.exit(main())
