#!/usr/bin/env python3
"""The longest function bodies of C++ files, in lines (a function's lambdas count as its own).

Usage: function-lengths.py [--max N] FILE...
Prints each file's three longest functions (LINES:NAME@LINE). With --max N, exits 1 when a
function is longer than N lines. Braces are matched after comments and string literals are
blanked out; a brace block counts as a function when what precedes it ends like a function
head ("...) const {"), not like a control statement, a class or a lambda.
"""
import re
import sys


def blank_comments_and_strings(src):
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith('//', i):
            j = src.find('\n', i)
            i = n if j < 0 else j
        elif src.startswith('/*', i):
            j = src.find('*/', i + 2)
            out.append('\n' * src[i:j + 2].count('\n'))
            i = j + 2
        elif src.startswith('R"', i) and re.match(r'R"([^(\s]*)\(', src[i:]):
            delim = re.match(r'R"([^(\s]*)\(', src[i:]).group(1)
            j = src.find(')' + delim + '"', i) + len(delim) + 2
            out.append('""' + '\n' * src[i:j].count('\n'))
            i = j
        elif src[i] in '"\'':
            q, j = src[i], i + 1
            while j < n and src[j] != q:
                j += 2 if src[j] == '\\' else 1
            out.append(q + q)
            i = j + 1
        else:
            out.append(src[i])
            i += 1
    return ''.join(out)


FUNCTION_HEAD = re.compile(r'\)\s*(const|noexcept|override|final|->[^{;]*|\s)*$')
CONTROL = re.compile(r'\b(if|for|while|switch|catch)\s*\(.*\)\s*$')
TYPE_HEAD = re.compile(r'\b(namespace|class|struct|enum|union)\b[^;{}()]*$')
LAMBDA = re.compile(r'\[[^\]]*\]\s*(\([^)]*\))?[^{;]*$')
NAME = re.compile(r'([~\w:]+)\s*\((?:[^()]|\([^()]*\))*\)[^()]*$')


def functions(path):
    lines = blank_comments_and_strings(open(path, encoding='utf-8').read()).split('\n')
    found, stack = [], []
    for number, line in enumerate(lines, 1):
        for col, ch in enumerate(line):
            if ch == '{':
                text = '\n'.join(lines[max(0, number - 15):number - 1]) + '\n' + line[:col]
                head = text[max(text.rfind(';'), text.rfind('}'), text.rfind('{')) + 1:].rstrip()
                is_function = (FUNCTION_HEAD.search(head) and not CONTROL.search(head.split('\n')[-1])
                               and not TYPE_HEAD.search(head) and not LAMBDA.search(head[-200:]))
                name = NAME.search(head)
                stack.append((is_function, number, name.group(1) if name else '?'))
            elif ch == '}' and stack:
                is_function, start, name = stack.pop()
                if is_function and not any(f for f, _, _ in stack):
                    found.append((number - start + 1, name, start))
    return sorted(found, reverse=True)


def main(argv):
    limit = None
    if len(argv) > 1 and argv[0] == '--max':
        limit, argv = int(argv[1]), argv[2:]
    over = 0
    for path in argv:
        fs = functions(path)
        print(path, ' '.join(f'{n}:{name}@{line}' for n, name, line in fs[:3]))
        over += sum(1 for n, _, _ in fs if limit is not None and n > limit)
    if over:
        print(f'{over} function(s) longer than {limit} lines', file=sys.stderr)
    return 1 if over else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
