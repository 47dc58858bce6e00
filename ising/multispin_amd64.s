//go:build amd64 && !purego

#include "textflag.h"

// The accept step of the multi-spin kernel (acceptRowGo in
// multispin_accept.go) for pairs of words, bit for bit the same draws and
// flips. The Go compiler spills most of the loop's twelve live values to
// the stack around MULQ's fixed registers; here they all stay in
// registers: SI the wyrand state, R12 and R13 its constants, CX the
// pointer to tab[bit], R8/R9 eq, R10/R11 lt of the two words, AX, BX, DX,
// DI scratch. The masks ma, mb of the pair and the pointers live in the
// frame.
//
// Frame: 0 ma0, 8 mb0, 16 ma1, 24 mb1, 40 tab, 48 row, 56 ma, 64 mb,
// 72 pairs left.

// DRAW draws u = wyrand(), th = ma&tab[bit][0] | mb&tab[bit][1], then
// lt |= eq & th &^ u and eq &^= th ^ u.
#define DRAW(eq, lt, maoff, mboff) \
	ADDQ R12, SI; \
	MOVQ SI, AX; \
	MOVQ SI, BX; \
	XORQ R13, BX; \
	MULQ BX; \
	XORQ DX, AX; \
	MOVQ 0(CX), DI; \
	ANDQ maoff(SP), DI; \
	MOVQ 8(CX), BX; \
	ANDQ mboff(SP), BX; \
	ORQ  BX, DI; \
	MOVQ AX, DX; \
	NOTQ DX; \
	ANDQ DI, DX; \
	ANDQ eq, DX; \
	ORQ  DX, lt; \
	XORQ AX, DI; \
	NOTQ DI; \
	ANDQ DI, eq

// BIT is one bit of the comparison for both words of the pair.
#define BIT \
	DRAW(R8, R10, 0, 8); \
	DRAW(R9, R11, 16, 24); \
	SUBQ $16, CX

// DRAWBMI is DRAW with BMI1's ANDN and BMI2's MULX (three instructions
// fewer a draw, the same values).
#define DRAWBMI(eq, lt, maoff, mboff) \
	ADDQ R12, SI; \
	MOVQ SI, DX; \
	MOVQ SI, BX; \
	XORQ R13, BX; \
	MULXQ BX, AX, BX; \
	XORQ BX, AX; \
	MOVQ 0(CX), DI; \
	ANDQ maoff(SP), DI; \
	MOVQ 8(CX), BX; \
	ANDQ mboff(SP), BX; \
	ORQ  BX, DI; \
	ANDNQ DI, AX, DX; \
	ANDQ eq, DX; \
	ORQ  DX, lt; \
	XORQ AX, DI; \
	ANDNQ eq, DI, eq

#define BITBMI \
	DRAWBMI(R8, R10, 0, 8); \
	DRAWBMI(R9, R11, 16, 24); \
	SUBQ $16, CX

// func acceptPairs(row, ma, mb *uint64, pairs int, tab *[64][2]uint64, st uint64) uint64
TEXT ·acceptPairs(SB), NOSPLIT, $80-56
	MOVQ row+0(FP), AX
	MOVQ AX, 48(SP)
	MOVQ ma+8(FP), AX
	MOVQ AX, 56(SP)
	MOVQ mb+16(FP), AX
	MOVQ AX, 64(SP)
	MOVQ tab+32(FP), AX
	MOVQ AX, 40(SP)
	MOVQ st+40(FP), SI
	MOVQ $0xa0761d6478bd642f, R12
	MOVQ $0xe7037ed1a0b428db, R13
	MOVQ pairs+24(FP), AX
	MOVQ AX, 72(SP)
	CMPQ AX, $0
	JLE  done

pair:
	MOVQ 56(SP), AX
	MOVQ 0(AX), R8
	MOVQ R8, 0(SP)
	MOVQ 8(AX), R9
	MOVQ R9, 16(SP)
	MOVQ 64(SP), AX
	MOVQ 0(AX), BX
	MOVQ BX, 8(SP)
	ORQ  BX, R8
	MOVQ 8(AX), BX
	MOVQ BX, 24(SP)
	ORQ  BX, R9
	XORQ R10, R10
	XORQ R11, R11
	MOVQ 40(SP), CX
	ADDQ $1008, CX // &tab[63]

	// Bits 63…56 unconditionally.
	BIT
	BIT
	BIT
	BIT
	BIT
	BIT
	BIT
	BIT

more:
	CMPQ CX, 40(SP)
	JCS  fin // below &tab[0]: all 64 bits drawn
	MOVQ R8, AX
	ORQ  R9, AX
	JZ   fin // every lane decided
	BIT
	JMP  more

fin:
	MOVQ 48(SP), AX
	MOVQ 0(SP), BX
	ORQ  8(SP), BX
	NOTQ BX
	ORQ  R10, BX
	XORQ BX, 0(AX)
	MOVQ 16(SP), BX
	ORQ  24(SP), BX
	NOTQ BX
	ORQ  R11, BX
	XORQ BX, 8(AX)
	ADDQ $16, 48(SP)
	ADDQ $16, 56(SP)
	ADDQ $16, 64(SP)
	DECQ 72(SP)
	JNZ  pair

done:
	MOVQ SI, ret+48(FP)
	RET

// func acceptPairsBMI(row, ma, mb *uint64, pairs int, tab *[64][2]uint64, st uint64) uint64
TEXT ·acceptPairsBMI(SB), NOSPLIT, $80-56
	MOVQ row+0(FP), AX
	MOVQ AX, 48(SP)
	MOVQ ma+8(FP), AX
	MOVQ AX, 56(SP)
	MOVQ mb+16(FP), AX
	MOVQ AX, 64(SP)
	MOVQ tab+32(FP), AX
	MOVQ AX, 40(SP)
	MOVQ st+40(FP), SI
	MOVQ $0xa0761d6478bd642f, R12
	MOVQ $0xe7037ed1a0b428db, R13
	MOVQ pairs+24(FP), AX
	MOVQ AX, 72(SP)
	CMPQ AX, $0
	JLE  donebmi

pairbmi:
	MOVQ 56(SP), AX
	MOVQ 0(AX), R8
	MOVQ R8, 0(SP)
	MOVQ 8(AX), R9
	MOVQ R9, 16(SP)
	MOVQ 64(SP), AX
	MOVQ 0(AX), BX
	MOVQ BX, 8(SP)
	ORQ  BX, R8
	MOVQ 8(AX), BX
	MOVQ BX, 24(SP)
	ORQ  BX, R9
	XORQ R10, R10
	XORQ R11, R11
	MOVQ 40(SP), CX
	ADDQ $1008, CX // &tab[63]

	// Bits 63…56 unconditionally.
	BITBMI
	BITBMI
	BITBMI
	BITBMI
	BITBMI
	BITBMI
	BITBMI
	BITBMI

morebmi:
	CMPQ CX, 40(SP)
	JCS  finbmi // below &tab[0]: all 64 bits drawn
	MOVQ R8, AX
	ORQ  R9, AX
	JZ   finbmi // every lane decided
	BITBMI
	JMP  morebmi

finbmi:
	MOVQ 48(SP), AX
	MOVQ 0(SP), BX
	ORQ  8(SP), BX
	NOTQ BX
	ORQ  R10, BX
	XORQ BX, 0(AX)
	MOVQ 16(SP), BX
	ORQ  24(SP), BX
	NOTQ BX
	ORQ  R11, BX
	XORQ BX, 8(AX)
	ADDQ $16, 48(SP)
	ADDQ $16, 56(SP)
	ADDQ $16, 64(SP)
	DECQ 72(SP)
	JNZ  pairbmi

donebmi:
	MOVQ SI, ret+48(FP)
	RET
