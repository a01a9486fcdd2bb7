//go:build !purego

#include "textflag.h"

// Constants of the SHA-256 SHA-NI kernels: round constants, initial state in
// ABEF/CDGH order, byte-swap mask, HMAC pads and final-block words.

DATA ·kni+0x00(SB)/4, $0x428a2f98
DATA ·kni+0x04(SB)/4, $0x71374491
DATA ·kni+0x08(SB)/4, $0xb5c0fbcf
DATA ·kni+0x0c(SB)/4, $0xe9b5dba5
DATA ·kni+0x10(SB)/4, $0x3956c25b
DATA ·kni+0x14(SB)/4, $0x59f111f1
DATA ·kni+0x18(SB)/4, $0x923f82a4
DATA ·kni+0x1c(SB)/4, $0xab1c5ed5
DATA ·kni+0x20(SB)/4, $0xd807aa98
DATA ·kni+0x24(SB)/4, $0x12835b01
DATA ·kni+0x28(SB)/4, $0x243185be
DATA ·kni+0x2c(SB)/4, $0x550c7dc3
DATA ·kni+0x30(SB)/4, $0x72be5d74
DATA ·kni+0x34(SB)/4, $0x80deb1fe
DATA ·kni+0x38(SB)/4, $0x9bdc06a7
DATA ·kni+0x3c(SB)/4, $0xc19bf174
DATA ·kni+0x40(SB)/4, $0xe49b69c1
DATA ·kni+0x44(SB)/4, $0xefbe4786
DATA ·kni+0x48(SB)/4, $0x0fc19dc6
DATA ·kni+0x4c(SB)/4, $0x240ca1cc
DATA ·kni+0x50(SB)/4, $0x2de92c6f
DATA ·kni+0x54(SB)/4, $0x4a7484aa
DATA ·kni+0x58(SB)/4, $0x5cb0a9dc
DATA ·kni+0x5c(SB)/4, $0x76f988da
DATA ·kni+0x60(SB)/4, $0x983e5152
DATA ·kni+0x64(SB)/4, $0xa831c66d
DATA ·kni+0x68(SB)/4, $0xb00327c8
DATA ·kni+0x6c(SB)/4, $0xbf597fc7
DATA ·kni+0x70(SB)/4, $0xc6e00bf3
DATA ·kni+0x74(SB)/4, $0xd5a79147
DATA ·kni+0x78(SB)/4, $0x06ca6351
DATA ·kni+0x7c(SB)/4, $0x14292967
DATA ·kni+0x80(SB)/4, $0x27b70a85
DATA ·kni+0x84(SB)/4, $0x2e1b2138
DATA ·kni+0x88(SB)/4, $0x4d2c6dfc
DATA ·kni+0x8c(SB)/4, $0x53380d13
DATA ·kni+0x90(SB)/4, $0x650a7354
DATA ·kni+0x94(SB)/4, $0x766a0abb
DATA ·kni+0x98(SB)/4, $0x81c2c92e
DATA ·kni+0x9c(SB)/4, $0x92722c85
DATA ·kni+0xa0(SB)/4, $0xa2bfe8a1
DATA ·kni+0xa4(SB)/4, $0xa81a664b
DATA ·kni+0xa8(SB)/4, $0xc24b8b70
DATA ·kni+0xac(SB)/4, $0xc76c51a3
DATA ·kni+0xb0(SB)/4, $0xd192e819
DATA ·kni+0xb4(SB)/4, $0xd6990624
DATA ·kni+0xb8(SB)/4, $0xf40e3585
DATA ·kni+0xbc(SB)/4, $0x106aa070
DATA ·kni+0xc0(SB)/4, $0x19a4c116
DATA ·kni+0xc4(SB)/4, $0x1e376c08
DATA ·kni+0xc8(SB)/4, $0x2748774c
DATA ·kni+0xcc(SB)/4, $0x34b0bcb5
DATA ·kni+0xd0(SB)/4, $0x391c0cb3
DATA ·kni+0xd4(SB)/4, $0x4ed8aa4a
DATA ·kni+0xd8(SB)/4, $0x5b9cca4f
DATA ·kni+0xdc(SB)/4, $0x682e6ff3
DATA ·kni+0xe0(SB)/4, $0x748f82ee
DATA ·kni+0xe4(SB)/4, $0x78a5636f
DATA ·kni+0xe8(SB)/4, $0x84c87814
DATA ·kni+0xec(SB)/4, $0x8cc70208
DATA ·kni+0xf0(SB)/4, $0x90befffa
DATA ·kni+0xf4(SB)/4, $0xa4506ceb
DATA ·kni+0xf8(SB)/4, $0xbef9a3f7
DATA ·kni+0xfc(SB)/4, $0xc67178f2
GLOBL ·kni(SB), RODATA|NOPTR, $256

DATA ·ivabef+0x00(SB)/4, $0x9b05688c
DATA ·ivabef+0x04(SB)/4, $0x510e527f
DATA ·ivabef+0x08(SB)/4, $0xbb67ae85
DATA ·ivabef+0x0c(SB)/4, $0x6a09e667
GLOBL ·ivabef(SB), RODATA|NOPTR, $16

DATA ·ivcdgh+0x00(SB)/4, $0x5be0cd19
DATA ·ivcdgh+0x04(SB)/4, $0x1f83d9ab
DATA ·ivcdgh+0x08(SB)/4, $0xa54ff53a
DATA ·ivcdgh+0x0c(SB)/4, $0x3c6ef372
GLOBL ·ivcdgh(SB), RODATA|NOPTR, $16

DATA ·bswap+0x00(SB)/4, $0x00010203
DATA ·bswap+0x04(SB)/4, $0x04050607
DATA ·bswap+0x08(SB)/4, $0x08090a0b
DATA ·bswap+0x0c(SB)/4, $0x0c0d0e0f
GLOBL ·bswap(SB), RODATA|NOPTR, $16

DATA ·ipad+0x00(SB)/4, $0x36363636
DATA ·ipad+0x04(SB)/4, $0x36363636
DATA ·ipad+0x08(SB)/4, $0x36363636
DATA ·ipad+0x0c(SB)/4, $0x36363636
GLOBL ·ipad(SB), RODATA|NOPTR, $16

DATA ·padxor+0x00(SB)/4, $0x6a6a6a6a
DATA ·padxor+0x04(SB)/4, $0x6a6a6a6a
DATA ·padxor+0x08(SB)/4, $0x6a6a6a6a
DATA ·padxor+0x0c(SB)/4, $0x6a6a6a6a
GLOBL ·padxor(SB), RODATA|NOPTR, $16

DATA ·fin1+0x00(SB)/4, $0x80000000
DATA ·fin1+0x04(SB)/4, $0x00000000
DATA ·fin1+0x08(SB)/4, $0x00000000
DATA ·fin1+0x0c(SB)/4, $0x00000000
GLOBL ·fin1(SB), RODATA|NOPTR, $16

DATA ·fin2+0x00(SB)/4, $0x00000000
DATA ·fin2+0x04(SB)/4, $0x00000000
DATA ·fin2+0x08(SB)/4, $0x00000000
DATA ·fin2+0x0c(SB)/4, $0x00000300
GLOBL ·fin2(SB), RODATA|NOPTR, $16

DATA ·opad+0x00(SB)/4, $0x5c5c5c5c
DATA ·opad+0x04(SB)/4, $0x5c5c5c5c
DATA ·opad+0x08(SB)/4, $0x5c5c5c5c
DATA ·opad+0x0c(SB)/4, $0x5c5c5c5c
GLOBL ·opad(SB), RODATA|NOPTR, $16
