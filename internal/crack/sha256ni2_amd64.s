//go:build !purego

#include "textflag.h"
#include "sha256ni_amd64.h"

// func hmac256NI2(keys *[2][64]byte, wk []uint32, out *[2][8]uint32)
TEXT ·hmac256NI2(SB), NOSPLIT, $128-40
	MOVQ keys+0(FP), AX
	MOVQ wk_base+8(FP), BX
	MOVQ wk_len+16(FP), CX
	MOVQ out+32(FP), DX
	SHRQ $6, CX
	LEAQ ·kni(SB), R8

	// Inner key blocks.
	MOVOU ·ipad(SB), X7
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
	MOVOU ·opad(SB), X7
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
	MOVOU ·fin1(SB), X5
	MOVOU ·fin2(SB), X6
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
