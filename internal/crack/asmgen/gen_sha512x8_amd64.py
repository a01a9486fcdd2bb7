#!/usr/bin/python3
"""Writes ../sha512x8_amd64.s: HMAC-SHA-384/512 for eight candidate keys at
once, one key per 64-bit lane of the AVX-512 registers.

Run from this directory: ./gen_sha512x8_amd64.py > ../sha512x8_amd64.s
Registers: state a..h in Z0..Z7, the message ring W[0..15] in Z8..Z23,
round temps Z24..Z26, schedule temps Z27..Z29. Stack: 0..511 saved state,
512..1023 the inner digest.
"""

STATE = ["Z%d" % i for i in range(8)]
W = ["Z%d" % (8 + i) for i in range(16)]
T = ["Z24", "Z25", "Z26"]
S = ["Z27", "Z28", "Z29"]
out = []


def emit(s):
    out.append("\t" + s)


def rnd(t, st, wk):
    """One round; wk(h) emits the addition of W[t]+K[t] into h."""
    a, b, c, d, e, f, g, h = st
    emit(f"VPRORQ $14, {e}, {T[0]}")
    emit(f"VPRORQ $18, {e}, {T[1]}")
    emit(f"VPRORQ $41, {e}, {T[2]}")
    emit(f"VPTERNLOGQ $0x96, {T[2]}, {T[1]}, {T[0]}")
    emit(f"VMOVDQA64 {e}, {T[1]}")
    emit(f"VPTERNLOGQ $0xca, {g}, {f}, {T[1]}")
    emit(f"VPADDQ {T[0]}, {h}, {h}")
    emit(f"VPADDQ {T[1]}, {h}, {h}")
    wk(h)
    emit(f"VPADDQ {h}, {d}, {d}")
    emit(f"VPRORQ $28, {a}, {T[0]}")
    emit(f"VPRORQ $34, {a}, {T[1]}")
    emit(f"VPRORQ $39, {a}, {T[2]}")
    emit(f"VPTERNLOGQ $0x96, {T[2]}, {T[1]}, {T[0]}")
    emit(f"VMOVDQA64 {a}, {T[1]}")
    emit(f"VPTERNLOGQ $0xe8, {c}, {b}, {T[1]}")
    emit(f"VPADDQ {T[0]}, {h}, {h}")
    emit(f"VPADDQ {T[1]}, {h}, {h}")


def rotate(st):
    return [st[7]] + st[:7]


def schedule(t):
    """W[t] into ring slot t%16 (which holds W[t-16])."""
    w = W[t % 16]
    x15, x2, x7 = W[(t - 15) % 16], W[(t - 2) % 16], W[(t - 7) % 16]
    emit(f"VPRORQ $1, {x15}, {S[0]}")
    emit(f"VPRORQ $8, {x15}, {S[1]}")
    emit(f"VPSRLQ $7, {x15}, {S[2]}")
    emit(f"VPTERNLOGQ $0x96, {S[2]}, {S[1]}, {S[0]}")
    emit(f"VPADDQ {S[0]}, {w}, {w}")
    emit(f"VPRORQ $19, {x2}, {S[0]}")
    emit(f"VPRORQ $61, {x2}, {S[1]}")
    emit(f"VPSRLQ $6, {x2}, {S[2]}")
    emit(f"VPTERNLOGQ $0x96, {S[2]}, {S[1]}, {S[0]}")
    emit(f"VPADDQ {S[0]}, {w}, {w}")
    emit(f"VPADDQ {x7}, {w}, {w}")


LABELS = [0]


def label(base):
    LABELS[0] += 1
    return "%s%d" % (base, LABELS[0])


def block_sched(name):
    """80 rounds computing the schedule in the ring: 16 plain rounds, then a
    loop of four times 16 rounds (names and ring slots repeat every 16)."""
    emit("LEAQ k512x8<>(SB), R8")
    for lo, sched in ((0, False), (16, True)):
        if sched:
            loop = label(name + "_sched")
            emit("MOVQ $4, R9")
            out.append(loop + ":")
        st = STATE[:]
        for t in range(lo, lo + 16):
            if sched:
                schedule(t)
            w = W[t % 16]

            def wk(h, t=t, w=w):
                emit(f"VPADDQ {w}, {h}, {h}")
                emit(f"VPADDQ.BCST {8 * (t % 16)}(R8), {h}, {h}")
            rnd(t, st, wk)
            st = rotate(st)
        emit("ADDQ $128, R8")
        if sched:
            emit("DECQ R9")
            emit(f"JNZ {loop}")


def block_wk(name):
    """80 rounds over the precomputed W+K at SI, which advances one block."""
    loop = label(name + "_wk")
    emit("MOVQ $5, R9")
    out.append(loop + ":")
    st = STATE[:]
    for t in range(16):
        def wk(h, t=t):
            emit(f"VPADDQ.BCST {8 * t}(SI), {h}, {h}")
        rnd(t, st, wk)
        st = rotate(st)
    emit("ADDQ $128, SI")
    emit("DECQ R9")
    emit(f"JNZ {loop}")


def load_iv():
    for i, z in enumerate(STATE):
        emit(f"VPBROADCASTQ {8 * i}(BX), {z}")


def add_iv():
    for i, z in enumerate(STATE):
        emit(f"VPADDQ.BCST {8 * i}(BX), {z}, {z}")


def save():
    for i, z in enumerate(STATE):
        emit(f"VMOVDQU64 {z}, {64 * i}(SP)")


def add_saved():
    for i, z in enumerate(STATE):
        emit(f"VPADDQ {64 * i}(SP), {z}, {z}")


def load_keys(pad):
    for i, w in enumerate(W):
        emit(f"VMOVDQU64 {64 * i}(AX), {w}")
        emit(f"VPXORQ.BCST {pad}<>(SB), {w}, {w}")


def function(name, size):
    words = size // 8
    print(f"// func {name}(kw *[16][8]uint64, wk []uint64, iv *[8]uint64, out *[8][8]uint64)")
    print(f"TEXT ·{name}(SB), 0, $1024-48")
    out.clear()
    emit("MOVQ kw+0(FP), AX")
    emit("MOVQ wk_base+8(FP), SI")
    emit("MOVQ wk_len+16(FP), CX")
    emit("MOVQ iv+32(FP), BX")
    emit("MOVQ out+40(FP), DX")
    out.append("\t// Inner key block.")
    load_keys("ipad8")
    load_iv()
    block_sched(name)
    add_iv()
    emit("TESTQ CX, CX")
    emit(f"JZ {name}_innerdone")
    out.append(f"{name}_msgloop:")
    save()
    block_wk(name)
    add_saved()
    emit("SUBQ $80, CX")
    emit(f"JNZ {name}_msgloop")
    out.append(f"{name}_innerdone:")
    for i in range(words):
        emit(f"VMOVDQU64 {STATE[i]}, {512 + 64 * i}(SP)")
    out.append("\t// Outer key block.")
    load_keys("opad8")
    load_iv()
    block_sched(name)
    add_iv()
    out.append("\t// Final block: inner digest, 0x80, zeros, bit length.")
    save()
    for i in range(words):
        emit(f"VMOVDQU64 {512 + 64 * i}(SP), {W[i]}")
    emit(f"VPBROADCASTQ topbit8<>(SB), {W[words]}")
    for i in range(words + 1, 15):
        emit(f"VPXORQ {W[i]}, {W[i]}, {W[i]}")
    emit(f"VPBROADCASTQ len{size * 8}<>(SB), {W[15]}")
    block_sched(name)
    add_saved()
    for i, z in enumerate(STATE):
        emit(f"VMOVDQU64 {z}, {64 * i}(DX)")
    emit("VZEROUPPER")
    emit("RET")
    print("\n".join(out))
    print()


def primes(n):
    ps, x = [], 2
    while len(ps) < n:
        if all(x % p for p in ps):
            ps.append(x)
        x += 1
    return ps


def icbrt(n):
    lo, hi = 0, 1 << (n.bit_length() // 3 + 2)
    while lo < hi:
        m = (lo + hi + 1) // 2
        if m ** 3 <= n:
            lo = m
        else:
            hi = m - 1
    return lo


print("// Code generated by asmgen/gen_sha512x8_amd64.py; DO NOT EDIT.")
print()
print("//go:build !purego")
print()
print('#include "textflag.h"')
print()
function("hmac384x8", 48)
function("hmac512x8", 64)
k = [icbrt(p << 192) & ((1 << 64) - 1) for p in primes(80)]
assert k[0] == 0x428a2f98d728ae22
for i, v in enumerate(k):
    print("DATA k512x8<>+0x%03x(SB)/8, $0x%016x" % (8 * i, v))
print("GLOBL k512x8<>(SB), RODATA|NOPTR, $640")
print()
for name, v in (("ipad8", 0x3636363636363636), ("opad8", 0x5C5C5C5C5C5C5C5C), ("topbit8", 1 << 63),
                ("len384", (128 + 48) * 8), ("len512", (128 + 64) * 8)):
    print("DATA %s<>+0x00(SB)/8, $0x%016x" % (name, v))
    print("GLOBL %s<>(SB), RODATA|NOPTR, $8" % name)
    print()
