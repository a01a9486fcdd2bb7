//go:build !purego

#include "textflag.h"

// SHA-256 with the SHA-NI extensions. The state lives in two registers in the
// layout SHA256RNDS2 wants: X1 = {A,B,E,F}, X2 = {C,D,G,H} (high to low
// dwords). R8 points at the round constants. X0 is the implicit W+K operand.

// Four rounds from message register m (W[4j..4j+3]) and constants at koff.
#define RNDS_M(m, koff) \
	MOVOU koff(R8), X0; \
	PADDD m, X0; \
	SHA256RNDS2 X0, X1, X2; \
	PSHUFD $0x0e, X0, X0; \
	SHA256RNDS2 X0, X2, X1

// Next four schedule words into a, from a=W[t-16..], b=W[t-12..], c=W[t-8..], d=W[t-4..].
#define SCHED(a, b, c, d) \
	SHA256MSG1 b, a; \
	MOVO d, X7; \
	PALIGNR $4, c, X7; \
	PADDD X7, a; \
	SHA256MSG2 d, a

// Four rounds from precomputed W+K at off(p).
#define RNDS_WK(p, off) \
	MOVOU off(p), X0; \
	SHA256RNDS2 X0, X1, X2; \
	PSHUFD $0x0e, X0, X0; \
	SHA256RNDS2 X0, X2, X1

// 64 rounds of one block whose message words are in m0..m3 (clobbered).
#define BLOCK_SCHED(m0, m1, m2, m3) \
	RNDS_M(m0, 0); RNDS_M(m1, 16); RNDS_M(m2, 32); RNDS_M(m3, 48); \
	SCHED(m0, m1, m2, m3); RNDS_M(m0, 64); \
	SCHED(m1, m2, m3, m0); RNDS_M(m1, 80); \
	SCHED(m2, m3, m0, m1); RNDS_M(m2, 96); \
	SCHED(m3, m0, m1, m2); RNDS_M(m3, 112); \
	SCHED(m0, m1, m2, m3); RNDS_M(m0, 128); \
	SCHED(m1, m2, m3, m0); RNDS_M(m1, 144); \
	SCHED(m2, m3, m0, m1); RNDS_M(m2, 160); \
	SCHED(m3, m0, m1, m2); RNDS_M(m3, 176); \
	SCHED(m0, m1, m2, m3); RNDS_M(m0, 192); \
	SCHED(m1, m2, m3, m0); RNDS_M(m1, 208); \
	SCHED(m2, m3, m0, m1); RNDS_M(m2, 224); \
	SCHED(m3, m0, m1, m2); RNDS_M(m3, 240)

// 64 rounds of one block of precomputed W+K at p.
#define BLOCK_WK(p) \
	RNDS_WK(p, 0); RNDS_WK(p, 16); RNDS_WK(p, 32); RNDS_WK(p, 48); \
	RNDS_WK(p, 64); RNDS_WK(p, 80); RNDS_WK(p, 96); RNDS_WK(p, 112); \
	RNDS_WK(p, 128); RNDS_WK(p, 144); RNDS_WK(p, 160); RNDS_WK(p, 176); \
	RNDS_WK(p, 192); RNDS_WK(p, 208); RNDS_WK(p, 224); RNDS_WK(p, 240)

// State from h[0..7] (memory at p) into X1/X2; clobbers X7.
#define LOAD_STATE(p) \
	MOVOU 0(p), X1; \
	MOVOU 16(p), X2; \
	PSHUFD $0xb1, X1, X1; \
	PSHUFD $0x1b, X2, X2; \
	MOVO X1, X7; \
	PALIGNR $8, X2, X1; \
	PBLENDW $0xf0, X7, X2

// State from s0/s1 into digest word order: s0 = {a,b,c,d}, s1 = {e,f,g,h}
// (low to high dwords); clobbers t.
#define STATE_WORDS_R(s0, s1, t) \
	PSHUFD $0x1b, s0, s0; \
	PSHUFD $0xb1, s1, s1; \
	MOVO s0, t; \
	PBLENDW $0xf0, s1, s0; \
	PALIGNR $8, t, s1

#define STATE_WORDS STATE_WORDS_R(X1, X2, X7)

#define LOAD_IV \
	MOVOU ivabef<>(SB), X1; \
	MOVOU ivcdgh<>(SB), X2

#define ADD_IV \
	MOVOU ivabef<>(SB), X0; \
	PADDD X0, X1; \
	MOVOU ivcdgh<>(SB), X0; \
	PADDD X0, X2

// Two independent HMACs interleaved: lane A state in X1/X2, message in
// X3..X6, temp X7; lane B state in X9/X10, message in X11..X14, temp X15.
// SHA256RNDS2 has a long latency and one chain cannot fill the unit.

#define SCHED_T(a, b, c, d, t) \
	SHA256MSG1 b, a; \
	MOVO d, t; \
	PALIGNR $4, c, t; \
	PADDD t, a; \
	SHA256MSG2 d, a

#define RNDS_M2(ma, mb, koff) \
	MOVOU koff(R8), X0; \
	PADDD ma, X0; \
	SHA256RNDS2 X0, X1, X2; \
	PSHUFD $0x0e, X0, X0; \
	SHA256RNDS2 X0, X2, X1; \
	MOVOU koff(R8), X0; \
	PADDD mb, X0; \
	SHA256RNDS2 X0, X9, X10; \
	PSHUFD $0x0e, X0, X0; \
	SHA256RNDS2 X0, X10, X9

#define SCHED2(a, b, c, d, e, f, g, h) \
	SCHED_T(a, b, c, d, X7); \
	SCHED_T(e, f, g, h, X15)

#define BLOCK_SCHED2(m0, m1, m2, m3, n0, n1, n2, n3) \
	RNDS_M2(m0, n0, 0); RNDS_M2(m1, n1, 16); RNDS_M2(m2, n2, 32); RNDS_M2(m3, n3, 48); \
	SCHED2(m0, m1, m2, m3, n0, n1, n2, n3); RNDS_M2(m0, n0, 64); \
	SCHED2(m1, m2, m3, m0, n1, n2, n3, n0); RNDS_M2(m1, n1, 80); \
	SCHED2(m2, m3, m0, m1, n2, n3, n0, n1); RNDS_M2(m2, n2, 96); \
	SCHED2(m3, m0, m1, m2, n3, n0, n1, n2); RNDS_M2(m3, n3, 112); \
	SCHED2(m0, m1, m2, m3, n0, n1, n2, n3); RNDS_M2(m0, n0, 128); \
	SCHED2(m1, m2, m3, m0, n1, n2, n3, n0); RNDS_M2(m1, n1, 144); \
	SCHED2(m2, m3, m0, m1, n2, n3, n0, n1); RNDS_M2(m2, n2, 160); \
	SCHED2(m3, m0, m1, m2, n3, n0, n1, n2); RNDS_M2(m3, n3, 176); \
	SCHED2(m0, m1, m2, m3, n0, n1, n2, n3); RNDS_M2(m0, n0, 192); \
	SCHED2(m1, m2, m3, m0, n1, n2, n3, n0); RNDS_M2(m1, n1, 208); \
	SCHED2(m2, m3, m0, m1, n2, n3, n0, n1); RNDS_M2(m2, n2, 224); \
	SCHED2(m3, m0, m1, m2, n3, n0, n1, n2); RNDS_M2(m3, n3, 240)

#define RNDS_WK2(p, off) \
	MOVOU off(p), X0; \
	SHA256RNDS2 X0, X1, X2; \
	PSHUFD $0x0e, X0, X0; \
	SHA256RNDS2 X0, X2, X1; \
	MOVOU off(p), X0; \
	SHA256RNDS2 X0, X9, X10; \
	PSHUFD $0x0e, X0, X0; \
	SHA256RNDS2 X0, X10, X9

#define BLOCK_WK2(p) \
	RNDS_WK2(p, 0); RNDS_WK2(p, 16); RNDS_WK2(p, 32); RNDS_WK2(p, 48); \
	RNDS_WK2(p, 64); RNDS_WK2(p, 80); RNDS_WK2(p, 96); RNDS_WK2(p, 112); \
	RNDS_WK2(p, 128); RNDS_WK2(p, 144); RNDS_WK2(p, 160); RNDS_WK2(p, 176); \
	RNDS_WK2(p, 192); RNDS_WK2(p, 208); RNDS_WK2(p, 224); RNDS_WK2(p, 240)

// Both keys at k (A at 0, B at 64), byte-swapped, XORed with the pad in X7.
#define LOAD_KEYS2(k) \
	MOVOU bswap<>(SB), X8; \
	MOVOU 0(k), X3; MOVOU 16(k), X4; MOVOU 32(k), X5; MOVOU 48(k), X6; \
	MOVOU 64(k), X11; MOVOU 80(k), X12; MOVOU 96(k), X13; MOVOU 112(k), X14; \
	PSHUFB X8, X3; PSHUFB X8, X4; PSHUFB X8, X5; PSHUFB X8, X6; \
	PSHUFB X8, X11; PSHUFB X8, X12; PSHUFB X8, X13; PSHUFB X8, X14; \
	PXOR X7, X3; PXOR X7, X4; PXOR X7, X5; PXOR X7, X6; \
	PXOR X7, X11; PXOR X7, X12; PXOR X7, X13; PXOR X7, X14

#define LOAD_IV2 \
	MOVOU ivabef<>(SB), X1; \
	MOVOU ivcdgh<>(SB), X2; \
	MOVO X1, X9; \
	MOVO X2, X10

#define ADD_IV2 \
	MOVOU ivabef<>(SB), X8; \
	PADDD X8, X1; \
	PADDD X8, X9; \
	MOVOU ivcdgh<>(SB), X8; \
	PADDD X8, X2; \
	PADDD X8, X10

#define SAVE2 \
	MOVOU X1, 0(SP); MOVOU X2, 16(SP); MOVOU X9, 32(SP); MOVOU X10, 48(SP)

#define ADD_SAVED2 \
	MOVOU 0(SP), X8; PADDD X8, X1; \
	MOVOU 16(SP), X8; PADDD X8, X2; \
	MOVOU 32(SP), X8; PADDD X8, X9; \
	MOVOU 48(SP), X8; PADDD X8, X10

// func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func blocks256NI(h *[8]uint32, p []byte)
TEXT ·blocks256NI(SB), NOSPLIT, $0-32
	MOVQ h+0(FP), DI
	MOVQ p_base+8(FP), SI
	MOVQ p_len+16(FP), CX
	SHRQ $6, CX
	JZ   done
	LEAQ kni<>(SB), R8
	MOVOU bswap<>(SB), X8
	LOAD_STATE(DI)

loop:
	MOVO X1, X12
	MOVO X2, X13
	MOVOU 0(SI), X3
	MOVOU 16(SI), X4
	MOVOU 32(SI), X5
	MOVOU 48(SI), X6
	PSHUFB X8, X3
	PSHUFB X8, X4
	PSHUFB X8, X5
	PSHUFB X8, X6
	BLOCK_SCHED(X3, X4, X5, X6)
	PADDD X12, X1
	PADDD X13, X2
	ADDQ $64, SI
	DECQ CX
	JNZ  loop

	STATE_WORDS
	MOVOU X1, 0(DI)
	MOVOU X2, 16(DI)

done:
	RET

// func hmac256NI(key *[64]byte, wk []uint32, out *[8]uint32)
TEXT ·hmac256NI(SB), NOSPLIT, $0-40
	MOVQ key+0(FP), AX
	MOVQ wk_base+8(FP), BX
	MOVQ wk_len+16(FP), CX
	MOVQ out+32(FP), DX
	SHRQ $6, CX
	LEAQ kni<>(SB), R8

	// Key words, byte-swapped, XORed with the inner pad.
	MOVOU bswap<>(SB), X14
	MOVOU ipad<>(SB), X15
	MOVOU 0(AX), X8
	MOVOU 16(AX), X9
	MOVOU 32(AX), X10
	MOVOU 48(AX), X11
	PSHUFB X14, X8
	PSHUFB X14, X9
	PSHUFB X14, X10
	PSHUFB X14, X11
	PXOR X15, X8
	PXOR X15, X9
	PXOR X15, X10
	PXOR X15, X11

	// Inner key block.
	MOVO X8, X3
	MOVO X9, X4
	MOVO X10, X5
	MOVO X11, X6
	LOAD_IV
	BLOCK_SCHED(X3, X4, X5, X6)
	ADD_IV

	// Message blocks: the same for every guess, schedule precomputed.
	TESTQ CX, CX
	JZ    innerdone

msgloop:
	MOVO X1, X12
	MOVO X2, X13
	BLOCK_WK(BX)
	PADDD X12, X1
	PADDD X13, X2
	ADDQ $256, BX
	DECQ CX
	JNZ  msgloop

innerdone:
	STATE_WORDS
	MOVO X1, X12
	MOVO X2, X13

	// Outer key block: switch the pad from 0x36 to 0x5c.
	MOVOU padxor<>(SB), X15
	PXOR X15, X8
	PXOR X15, X9
	PXOR X15, X10
	PXOR X15, X11
	LOAD_IV
	BLOCK_SCHED(X8, X9, X10, X11)
	ADD_IV

	// Final block: inner digest, 0x80, zeros, bit length of 64+32 bytes.
	MOVO X1, X10
	MOVO X2, X11
	MOVO X12, X3
	MOVO X13, X4
	MOVOU fin1<>(SB), X5
	MOVOU fin2<>(SB), X6
	BLOCK_SCHED(X3, X4, X5, X6)
	PADDD X10, X1
	PADDD X11, X2

	STATE_WORDS
	MOVOU X1, 0(DX)
	MOVOU X2, 16(DX)
	RET

// func hmac256NI2(keys *[2][64]byte, wk []uint32, out *[2][8]uint32)
TEXT ·hmac256NI2(SB), NOSPLIT, $128-40
	MOVQ keys+0(FP), AX
	MOVQ wk_base+8(FP), BX
	MOVQ wk_len+16(FP), CX
	MOVQ out+32(FP), DX
	SHRQ $6, CX
	LEAQ kni<>(SB), R8

	// Inner key blocks.
	MOVOU ipad<>(SB), X7
	LOAD_KEYS2(AX)
	LOAD_IV2
	BLOCK_SCHED2(X3, X4, X5, X6, X11, X12, X13, X14)
	ADD_IV2

	TESTQ CX, CX
	JZ    innerdone2

msgloop2:
	SAVE2
	BLOCK_WK2(BX)
	ADD_SAVED2
	ADDQ $256, BX
	DECQ CX
	JNZ  msgloop2

innerdone2:
	STATE_WORDS_R(X1, X2, X7)
	STATE_WORDS_R(X9, X10, X15)
	MOVOU X1, 64(SP)
	MOVOU X2, 80(SP)
	MOVOU X9, 96(SP)
	MOVOU X10, 112(SP)

	// Outer key blocks.
	MOVOU opad<>(SB), X7
	LOAD_KEYS2(AX)
	LOAD_IV2
	BLOCK_SCHED2(X3, X4, X5, X6, X11, X12, X13, X14)
	ADD_IV2

	// Final blocks: inner digest, 0x80, zeros, bit length of 64+32 bytes.
	SAVE2
	MOVOU 64(SP), X3
	MOVOU 80(SP), X4
	MOVOU 96(SP), X11
	MOVOU 112(SP), X12
	MOVOU fin1<>(SB), X5
	MOVOU fin2<>(SB), X6
	MOVO  X5, X13
	MOVO  X6, X14
	BLOCK_SCHED2(X3, X4, X5, X6, X11, X12, X13, X14)
	ADD_SAVED2

	STATE_WORDS_R(X1, X2, X7)
	STATE_WORDS_R(X9, X10, X15)
	MOVOU X1, 0(DX)
	MOVOU X2, 16(DX)
	MOVOU X9, 32(DX)
	MOVOU X10, 48(DX)
	RET

DATA kni<>+0x00(SB)/4, $0x428a2f98
DATA kni<>+0x04(SB)/4, $0x71374491
DATA kni<>+0x08(SB)/4, $0xb5c0fbcf
DATA kni<>+0x0c(SB)/4, $0xe9b5dba5
DATA kni<>+0x10(SB)/4, $0x3956c25b
DATA kni<>+0x14(SB)/4, $0x59f111f1
DATA kni<>+0x18(SB)/4, $0x923f82a4
DATA kni<>+0x1c(SB)/4, $0xab1c5ed5
DATA kni<>+0x20(SB)/4, $0xd807aa98
DATA kni<>+0x24(SB)/4, $0x12835b01
DATA kni<>+0x28(SB)/4, $0x243185be
DATA kni<>+0x2c(SB)/4, $0x550c7dc3
DATA kni<>+0x30(SB)/4, $0x72be5d74
DATA kni<>+0x34(SB)/4, $0x80deb1fe
DATA kni<>+0x38(SB)/4, $0x9bdc06a7
DATA kni<>+0x3c(SB)/4, $0xc19bf174
DATA kni<>+0x40(SB)/4, $0xe49b69c1
DATA kni<>+0x44(SB)/4, $0xefbe4786
DATA kni<>+0x48(SB)/4, $0x0fc19dc6
DATA kni<>+0x4c(SB)/4, $0x240ca1cc
DATA kni<>+0x50(SB)/4, $0x2de92c6f
DATA kni<>+0x54(SB)/4, $0x4a7484aa
DATA kni<>+0x58(SB)/4, $0x5cb0a9dc
DATA kni<>+0x5c(SB)/4, $0x76f988da
DATA kni<>+0x60(SB)/4, $0x983e5152
DATA kni<>+0x64(SB)/4, $0xa831c66d
DATA kni<>+0x68(SB)/4, $0xb00327c8
DATA kni<>+0x6c(SB)/4, $0xbf597fc7
DATA kni<>+0x70(SB)/4, $0xc6e00bf3
DATA kni<>+0x74(SB)/4, $0xd5a79147
DATA kni<>+0x78(SB)/4, $0x06ca6351
DATA kni<>+0x7c(SB)/4, $0x14292967
DATA kni<>+0x80(SB)/4, $0x27b70a85
DATA kni<>+0x84(SB)/4, $0x2e1b2138
DATA kni<>+0x88(SB)/4, $0x4d2c6dfc
DATA kni<>+0x8c(SB)/4, $0x53380d13
DATA kni<>+0x90(SB)/4, $0x650a7354
DATA kni<>+0x94(SB)/4, $0x766a0abb
DATA kni<>+0x98(SB)/4, $0x81c2c92e
DATA kni<>+0x9c(SB)/4, $0x92722c85
DATA kni<>+0xa0(SB)/4, $0xa2bfe8a1
DATA kni<>+0xa4(SB)/4, $0xa81a664b
DATA kni<>+0xa8(SB)/4, $0xc24b8b70
DATA kni<>+0xac(SB)/4, $0xc76c51a3
DATA kni<>+0xb0(SB)/4, $0xd192e819
DATA kni<>+0xb4(SB)/4, $0xd6990624
DATA kni<>+0xb8(SB)/4, $0xf40e3585
DATA kni<>+0xbc(SB)/4, $0x106aa070
DATA kni<>+0xc0(SB)/4, $0x19a4c116
DATA kni<>+0xc4(SB)/4, $0x1e376c08
DATA kni<>+0xc8(SB)/4, $0x2748774c
DATA kni<>+0xcc(SB)/4, $0x34b0bcb5
DATA kni<>+0xd0(SB)/4, $0x391c0cb3
DATA kni<>+0xd4(SB)/4, $0x4ed8aa4a
DATA kni<>+0xd8(SB)/4, $0x5b9cca4f
DATA kni<>+0xdc(SB)/4, $0x682e6ff3
DATA kni<>+0xe0(SB)/4, $0x748f82ee
DATA kni<>+0xe4(SB)/4, $0x78a5636f
DATA kni<>+0xe8(SB)/4, $0x84c87814
DATA kni<>+0xec(SB)/4, $0x8cc70208
DATA kni<>+0xf0(SB)/4, $0x90befffa
DATA kni<>+0xf4(SB)/4, $0xa4506ceb
DATA kni<>+0xf8(SB)/4, $0xbef9a3f7
DATA kni<>+0xfc(SB)/4, $0xc67178f2
GLOBL kni<>(SB), RODATA|NOPTR, $256

DATA ivabef<>+0x00(SB)/4, $0x9b05688c
DATA ivabef<>+0x04(SB)/4, $0x510e527f
DATA ivabef<>+0x08(SB)/4, $0xbb67ae85
DATA ivabef<>+0x0c(SB)/4, $0x6a09e667
GLOBL ivabef<>(SB), RODATA|NOPTR, $16

DATA ivcdgh<>+0x00(SB)/4, $0x5be0cd19
DATA ivcdgh<>+0x04(SB)/4, $0x1f83d9ab
DATA ivcdgh<>+0x08(SB)/4, $0xa54ff53a
DATA ivcdgh<>+0x0c(SB)/4, $0x3c6ef372
GLOBL ivcdgh<>(SB), RODATA|NOPTR, $16

DATA bswap<>+0x00(SB)/4, $0x00010203
DATA bswap<>+0x04(SB)/4, $0x04050607
DATA bswap<>+0x08(SB)/4, $0x08090a0b
DATA bswap<>+0x0c(SB)/4, $0x0c0d0e0f
GLOBL bswap<>(SB), RODATA|NOPTR, $16

DATA ipad<>+0x00(SB)/4, $0x36363636
DATA ipad<>+0x04(SB)/4, $0x36363636
DATA ipad<>+0x08(SB)/4, $0x36363636
DATA ipad<>+0x0c(SB)/4, $0x36363636
GLOBL ipad<>(SB), RODATA|NOPTR, $16

DATA padxor<>+0x00(SB)/4, $0x6a6a6a6a
DATA padxor<>+0x04(SB)/4, $0x6a6a6a6a
DATA padxor<>+0x08(SB)/4, $0x6a6a6a6a
DATA padxor<>+0x0c(SB)/4, $0x6a6a6a6a
GLOBL padxor<>(SB), RODATA|NOPTR, $16

DATA fin1<>+0x00(SB)/4, $0x80000000
DATA fin1<>+0x04(SB)/4, $0x00000000
DATA fin1<>+0x08(SB)/4, $0x00000000
DATA fin1<>+0x0c(SB)/4, $0x00000000
GLOBL fin1<>(SB), RODATA|NOPTR, $16

DATA fin2<>+0x00(SB)/4, $0x00000000
DATA fin2<>+0x04(SB)/4, $0x00000000
DATA fin2<>+0x08(SB)/4, $0x00000000
DATA fin2<>+0x0c(SB)/4, $0x00000300
GLOBL fin2<>(SB), RODATA|NOPTR, $16

DATA opad<>+0x00(SB)/4, $0x5c5c5c5c
DATA opad<>+0x04(SB)/4, $0x5c5c5c5c
DATA opad<>+0x08(SB)/4, $0x5c5c5c5c
DATA opad<>+0x0c(SB)/4, $0x5c5c5c5c
GLOBL opad<>(SB), RODATA|NOPTR, $16
