import struct, sys, hashlib, numpy as np
p = sys.argv[1]
b = open(p,'rb').read()
o = 0
def rd(fmt):
    global o
    v = struct.unpack_from('<'+fmt, b, o); o += struct.calcsize('<'+fmt); return v if len(v)>1 else v[0]
magic = b[0:4]; o=4
ver = rd('I')
H,NL,NH,FF,VOC,MAXP,TVS = rd('7i'); eps = rd('f'); qk = rd('i')
print('magic',magic,'version',ver,'H',H,'NL',NL,'NH',NH,'FF',FF,'VOC',VOC,'MAXP',MAXP,'TVS',TVS,'eps',eps,'qk',qk)
hdr_end=o
npieces = rd('i'); bos,eos,pad,unk = rd('4i'); bloblen = rd('Q')
print('n_pieces',npieces,'bos',bos,'eos',eos,'pad',pad,'unk',unk,'bloblen',bloblen,'tok starts at',hdr_end)
offs = np.frombuffer(b, '<u4', npieces+1, o); o += 4*(npieces+1)
scores = np.frombuffer(b, '<f4', npieces, o); o += 4*npieces
blob_off=o; blob = b[o:o+bloblen]; o += bloblen
print('offs[0..5]',offs[:6],'offs[-1]',offs[-1],'blob at',blob_off)
def piece(i): return blob[offs[i]:offs[i+1]].decode('utf-8','replace')
for i in list(range(0,12))+[npieces-3,npieces-2,npieces-1]:
    print(' piece',i,repr(piece(i)),float(scores[i]))
print('score min/max',scores.min(),scores.max(), 'n zero-len', int((np.diff(offs)==0).sum()))
nnorm = rd('i'); nmb = rd('I'); nm_off=o
print('n_norm',nnorm,'norm bytes',nmb,'at',nm_off)
q=o; ents=[]
for i in range(nnorm):
    cp, = struct.unpack_from('<I',b,q); q+=4; no=b[q]; q+=1
    outs = struct.unpack_from('<%dI'%no,b,q); q+=4*no; ents.append((cp,outs))
assert q==o+nmb
o += nmb
print(' first norm entries', [(hex(c),[hex(x) for x in oo]) for c,oo in ents[:8]])
from collections import Counter
print(' nout histogram', Counter(len(oo) for c,oo in ents))
sel = {0x3000,0xFF21,0xA0,0x2002,0x9,0xA,0xD,0x200B,0xAD,0x1E9E,0x2160,0xFB01,0x41,0xC5,0x212B,0x3131,0xAC00}
for c,oo in ents:
    if c in sel: print('  norm',hex(c),[hex(x) for x in oo])
print(' sorted?', all(ents[i][0]<ents[i+1][0] for i in range(len(ents)-1)))
ndir = rd('i'); print('ndir',ndir,'dir at',o)
dirs=[]
for i in range(ndir):
    nl = rd('H'); name = b[o:o+nl].decode(); o+=nl
    dt = b[o]; o+=1; n = rd('I'); off = rd('Q'); nbytes = rd('Q')
    dirs.append((name,dt,n,off,nbytes))
print('dir end',o,'file size',len(b))
for d in dirs[:40]: print(' ',d, 'align64' if d[3]%64==0 else ('align32' if d[3]%32==0 else 'unaligned'))
print(' ...')
for d in dirs[-8:]: print(' ',d)
prev=None
s=sorted(dirs,key=lambda d:d[3])
print('first data off',s[0][3],'last end',s[-1][3]+s[-1][4])
gaps=[s[i+1][3]-(s[i][3]+s[i][4]) for i in range(len(s)-1)]
print('gaps set',sorted(set(gaps))[:10])
print('dtypes',Counter((d[1]) for d in dirs))
print('order same as file order?', [d[0] for d in dirs]==[d[0] for d in s])
import pickle; pickle.dump(dict(H=H,NL=NL,NH=NH,FF=FF,VOC=VOC,MAXP=MAXP,TVS=TVS,eps=eps,npieces=npieces,bos=bos,eos=eos,pad=pad,unk=unk,dirs=dirs,ents=ents),open(p+'.meta.pkl','wb'))
