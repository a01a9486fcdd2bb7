//go:build !purego

#include "textflag.h"
#include "sha256ni_amd64.h"

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
	LEAQ ·kni(SB), R8
	MOVOU ·bswap(SB), X8
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
	LEAQ ·kni(SB), R8

	// Key words, byte-swapped, XORed with the inner pad.
	MOVOU ·bswap(SB), X14
	MOVOU ·ipad(SB), X15
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
	MOVOU ·padxor(SB), X15
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
	MOVOU ·fin1(SB), X5
	MOVOU ·fin2(SB), X6
	BLOCK_SCHED(X3, X4, X5, X6)
	PADDD X10, X1
	PADDD X11, X2

	STATE_WORDS
	MOVOU X1, 0(DX)
	MOVOU X2, 16(DX)
	RET
