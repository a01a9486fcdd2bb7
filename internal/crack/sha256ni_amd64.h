// SHA-256 with the SHA-NI extensions: macros shared by the kernels. The state lives in two registers in the
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
	MOVOU ·ivabef(SB), X1; \
	MOVOU ·ivcdgh(SB), X2

#define ADD_IV \
	MOVOU ·ivabef(SB), X0; \
	PADDD X0, X1; \
	MOVOU ·ivcdgh(SB), X0; \
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
	MOVOU ·bswap(SB), X8; \
	MOVOU 0(k), X3; MOVOU 16(k), X4; MOVOU 32(k), X5; MOVOU 48(k), X6; \
	MOVOU 64(k), X11; MOVOU 80(k), X12; MOVOU 96(k), X13; MOVOU 112(k), X14; \
	PSHUFB X8, X3; PSHUFB X8, X4; PSHUFB X8, X5; PSHUFB X8, X6; \
	PSHUFB X8, X11; PSHUFB X8, X12; PSHUFB X8, X13; PSHUFB X8, X14; \
	PXOR X7, X3; PXOR X7, X4; PXOR X7, X5; PXOR X7, X6; \
	PXOR X7, X11; PXOR X7, X12; PXOR X7, X13; PXOR X7, X14

#define LOAD_IV2 \
	MOVOU ·ivabef(SB), X1; \
	MOVOU ·ivcdgh(SB), X2; \
	MOVO X1, X9; \
	MOVO X2, X10

#define ADD_IV2 \
	MOVOU ·ivabef(SB), X8; \
	PADDD X8, X1; \
	PADDD X8, X9; \
	MOVOU ·ivcdgh(SB), X8; \
	PADDD X8, X2; \
	PADDD X8, X10

#define SAVE2 \
	MOVOU X1, 0(SP); MOVOU X2, 16(SP); MOVOU X9, 32(SP); MOVOU X10, 48(SP)

#define ADD_SAVED2 \
	MOVOU 0(SP), X8; PADDD X8, X1; \
	MOVOU 16(SP), X8; PADDD X8, X2; \
	MOVOU 32(SP), X8; PADDD X8, X9; \
	MOVOU 48(SP), X8; PADDD X8, X10

