"""Picks at most N corpus files from a libFuzzer merge control file (-merge_control_file), greedily
by the most new code edges (COV) per file, then by new features (FT); ties go to the smaller file.

Usage: pick-corpus.py CONTROL_FILE OUT_DIR N [BASENAME_TO_KEEP...]
Used by scripts/fuzz.sh (FUZZ_UPDATE_CORPUS=1) to keep the committed corpus small.
"""
import sys, os, shutil
mcf, outdir, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
force = sys.argv[4:]  # basenames to keep
lines = open(mcf).read().split('\n')
nfiles = int(lines[0]); files = lines[2:2 + nfiles]
ft = {}
cv = {}
cur = None
for l in lines[2 + nfiles:]:
    p = l.split()
    if not p: continue
    if p[0] == 'STARTED': cur = int(p[1])
    elif p[0] == 'FT': ft.setdefault(int(p[1]), set()).update(('f', int(x)) for x in p[2:])
    elif p[0] == 'COV': cv.setdefault(int(p[1]), set()).update(int(x) for x in p[2:])
allf = set().union(*ft.values()) if ft else set()
chosen, covered = [], set()
byname = {os.path.basename(f): i for i, f in enumerate(files)}
for b in force:
    i = byname.get(b)
    if i is not None and i not in chosen:
        chosen.append(i); covered |= ft.get(i, set())
allc = set().union(*cv.values()) if cv else set()
cc = set()
for i in chosen: cc |= cv.get(i, set())
while len(chosen) < n:
    best, gain = None, 0
    for i, s in cv.items():
        if i in chosen: continue
        g = len(s - cc)
        if g > gain or (g == gain and g > 0 and os.path.getsize(files[i]) < os.path.getsize(files[best])):
            best, gain = i, g
    if best is None: break
    chosen.append(best); cc |= cv[best]; covered |= ft.get(best, set())
while len(chosen) < n:
    best, gain = None, 0
    for i, s in ft.items():
        if i in chosen: continue
        g = len(s - covered)
        if g > gain or (g == gain and g > 0 and os.path.getsize(files[i]) < os.path.getsize(files[best])):
            best, gain = i, g
    if best is None: break
    chosen.append(best); covered |= ft[best]; cc |= cv.get(best, set())
os.makedirs(outdir, exist_ok=True)
for i in chosen:
    shutil.copy(files[i], os.path.join(outdir, os.path.basename(files[i])))
size = sum(os.path.getsize(files[i]) for i in chosen)
print(f"edges {len(cc)}/{len(allc)} ({100*len(cc)/max(1,len(allc)):.1f}%); picked {len(chosen)} files, {size} bytes, features {len(covered)}/{len(allf)} ({100*len(covered)/max(1,len(allf)):.1f}%)")
