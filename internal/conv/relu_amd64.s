//go:build amd64 && !purego

#include "textflag.h"

// func relu8(y, x *float32, n int)
//
// y[i] = x[i] with its bits cleared where x's sign bit is set (relu32's
// rule), for n a multiple of 8. AVX2.
TEXT ·relu8(SB), NOSPLIT, $0-24
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JZ reludone

reluloop:
	VMOVDQU (SI), Y0
	VPSRAD $31, Y0, Y1
	VPANDN Y0, Y1, Y0
	VMOVDQU Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ reluloop

reludone:
	VZEROUPPER
	RET

// func mask8(out, y, grad *float32, n int)
//
// out[i] = grad[i] where y[i]'s bits are not zero, else 0 (maskGrad32's rule),
// for n a multiple of 8. AVX2.
TEXT ·mask8(SB), NOSPLIT, $0-32
	MOVQ out+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ grad+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $3, CX
	JZ maskdone
	VPXOR Y2, Y2, Y2

maskloop:
	VMOVDQU (SI), Y0
	VPSUBD Y0, Y2, Y0
	VPSRAD $31, Y0, Y0
	VPAND (DX), Y0, Y0
	VMOVDQU Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ maskloop

maskdone:
	VZEROUPPER
	RET

// func biasRelu8(dst, src *float32, n int, bias float32, relu int)
//
// dst[i] = src[i] + bias, then with relu ≠ 0 relu32's rule, for n a
// multiple of 8. AVX2.
TEXT ·biasRelu8(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS bias+24(FP), Y2
	MOVQ relu+32(FP), AX
	SHRQ $3, CX
	JZ brdone
	TESTQ AX, AX
	JZ bloop

brloop:
	VADDPS (SI), Y2, Y0
	VPSRAD $31, Y0, Y1
	VPANDN Y0, Y1, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ brloop
	JMP brdone

bloop:
	VADDPS (SI), Y2, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ bloop

brdone:
	VZEROUPPER
	RET
