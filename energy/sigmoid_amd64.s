//go:build amd64 && !purego

#include "textflag.h"

// Constants, four copies each (one YMM register): the sign bit, the clamp
// of the exponent's argument, 1/ln 2, the rounding constant 1.5·2^52, ln 2
// in two parts, 1, the exponent bias 1023 and the Taylor coefficients 1/k!
// of e^r, k = 13 … 0.
DATA sigNeg<>+0(SB)/8, $0x8000000000000000
DATA sigNeg<>+8(SB)/8, $0x8000000000000000
DATA sigNeg<>+16(SB)/8, $0x8000000000000000
DATA sigNeg<>+24(SB)/8, $0x8000000000000000
GLOBL sigNeg<>(SB), RODATA|NOPTR, $32
DATA sigMax<>+0(SB)/8, $0x4086280000000000
DATA sigMax<>+8(SB)/8, $0x4086280000000000
DATA sigMax<>+16(SB)/8, $0x4086280000000000
DATA sigMax<>+24(SB)/8, $0x4086280000000000
GLOBL sigMax<>(SB), RODATA|NOPTR, $32
DATA sigMin<>+0(SB)/8, $0xc086200000000000
DATA sigMin<>+8(SB)/8, $0xc086200000000000
DATA sigMin<>+16(SB)/8, $0xc086200000000000
DATA sigMin<>+24(SB)/8, $0xc086200000000000
GLOBL sigMin<>(SB), RODATA|NOPTR, $32
DATA sigLog2e<>+0(SB)/8, $0x3ff71547652b82fe
DATA sigLog2e<>+8(SB)/8, $0x3ff71547652b82fe
DATA sigLog2e<>+16(SB)/8, $0x3ff71547652b82fe
DATA sigLog2e<>+24(SB)/8, $0x3ff71547652b82fe
GLOBL sigLog2e<>(SB), RODATA|NOPTR, $32
DATA sigMagic<>+0(SB)/8, $0x4338000000000000
DATA sigMagic<>+8(SB)/8, $0x4338000000000000
DATA sigMagic<>+16(SB)/8, $0x4338000000000000
DATA sigMagic<>+24(SB)/8, $0x4338000000000000
GLOBL sigMagic<>(SB), RODATA|NOPTR, $32
DATA sigLn2Hi<>+0(SB)/8, $0x3fe62e42fee00000
DATA sigLn2Hi<>+8(SB)/8, $0x3fe62e42fee00000
DATA sigLn2Hi<>+16(SB)/8, $0x3fe62e42fee00000
DATA sigLn2Hi<>+24(SB)/8, $0x3fe62e42fee00000
GLOBL sigLn2Hi<>(SB), RODATA|NOPTR, $32
DATA sigLn2Lo<>+0(SB)/8, $0x3dea39ef35793c76
DATA sigLn2Lo<>+8(SB)/8, $0x3dea39ef35793c76
DATA sigLn2Lo<>+16(SB)/8, $0x3dea39ef35793c76
DATA sigLn2Lo<>+24(SB)/8, $0x3dea39ef35793c76
GLOBL sigLn2Lo<>(SB), RODATA|NOPTR, $32
DATA sigOne<>+0(SB)/8, $0x3ff0000000000000
DATA sigOne<>+8(SB)/8, $0x3ff0000000000000
DATA sigOne<>+16(SB)/8, $0x3ff0000000000000
DATA sigOne<>+24(SB)/8, $0x3ff0000000000000
GLOBL sigOne<>(SB), RODATA|NOPTR, $32
DATA sigBias<>+0(SB)/8, $0x00000000000003ff
DATA sigBias<>+8(SB)/8, $0x00000000000003ff
DATA sigBias<>+16(SB)/8, $0x00000000000003ff
DATA sigBias<>+24(SB)/8, $0x00000000000003ff
GLOBL sigBias<>(SB), RODATA|NOPTR, $32
DATA sigC13<>+0(SB)/8, $0x3de6124613a86d09
DATA sigC13<>+8(SB)/8, $0x3de6124613a86d09
DATA sigC13<>+16(SB)/8, $0x3de6124613a86d09
DATA sigC13<>+24(SB)/8, $0x3de6124613a86d09
GLOBL sigC13<>(SB), RODATA|NOPTR, $32
DATA sigC12<>+0(SB)/8, $0x3e21eed8eff8d898
DATA sigC12<>+8(SB)/8, $0x3e21eed8eff8d898
DATA sigC12<>+16(SB)/8, $0x3e21eed8eff8d898
DATA sigC12<>+24(SB)/8, $0x3e21eed8eff8d898
GLOBL sigC12<>(SB), RODATA|NOPTR, $32
DATA sigC11<>+0(SB)/8, $0x3e5ae64567f544e4
DATA sigC11<>+8(SB)/8, $0x3e5ae64567f544e4
DATA sigC11<>+16(SB)/8, $0x3e5ae64567f544e4
DATA sigC11<>+24(SB)/8, $0x3e5ae64567f544e4
GLOBL sigC11<>(SB), RODATA|NOPTR, $32
DATA sigC10<>+0(SB)/8, $0x3e927e4fb7789f5c
DATA sigC10<>+8(SB)/8, $0x3e927e4fb7789f5c
DATA sigC10<>+16(SB)/8, $0x3e927e4fb7789f5c
DATA sigC10<>+24(SB)/8, $0x3e927e4fb7789f5c
GLOBL sigC10<>(SB), RODATA|NOPTR, $32
DATA sigC9<>+0(SB)/8, $0x3ec71de3a556c734
DATA sigC9<>+8(SB)/8, $0x3ec71de3a556c734
DATA sigC9<>+16(SB)/8, $0x3ec71de3a556c734
DATA sigC9<>+24(SB)/8, $0x3ec71de3a556c734
GLOBL sigC9<>(SB), RODATA|NOPTR, $32
DATA sigC8<>+0(SB)/8, $0x3efa01a01a01a01a
DATA sigC8<>+8(SB)/8, $0x3efa01a01a01a01a
DATA sigC8<>+16(SB)/8, $0x3efa01a01a01a01a
DATA sigC8<>+24(SB)/8, $0x3efa01a01a01a01a
GLOBL sigC8<>(SB), RODATA|NOPTR, $32
DATA sigC7<>+0(SB)/8, $0x3f2a01a01a01a01a
DATA sigC7<>+8(SB)/8, $0x3f2a01a01a01a01a
DATA sigC7<>+16(SB)/8, $0x3f2a01a01a01a01a
DATA sigC7<>+24(SB)/8, $0x3f2a01a01a01a01a
GLOBL sigC7<>(SB), RODATA|NOPTR, $32
DATA sigC6<>+0(SB)/8, $0x3f56c16c16c16c17
DATA sigC6<>+8(SB)/8, $0x3f56c16c16c16c17
DATA sigC6<>+16(SB)/8, $0x3f56c16c16c16c17
DATA sigC6<>+24(SB)/8, $0x3f56c16c16c16c17
GLOBL sigC6<>(SB), RODATA|NOPTR, $32
DATA sigC5<>+0(SB)/8, $0x3f81111111111111
DATA sigC5<>+8(SB)/8, $0x3f81111111111111
DATA sigC5<>+16(SB)/8, $0x3f81111111111111
DATA sigC5<>+24(SB)/8, $0x3f81111111111111
GLOBL sigC5<>(SB), RODATA|NOPTR, $32
DATA sigC4<>+0(SB)/8, $0x3fa5555555555555
DATA sigC4<>+8(SB)/8, $0x3fa5555555555555
DATA sigC4<>+16(SB)/8, $0x3fa5555555555555
DATA sigC4<>+24(SB)/8, $0x3fa5555555555555
GLOBL sigC4<>(SB), RODATA|NOPTR, $32
DATA sigC3<>+0(SB)/8, $0x3fc5555555555555
DATA sigC3<>+8(SB)/8, $0x3fc5555555555555
DATA sigC3<>+16(SB)/8, $0x3fc5555555555555
DATA sigC3<>+24(SB)/8, $0x3fc5555555555555
GLOBL sigC3<>(SB), RODATA|NOPTR, $32
DATA sigC2<>+0(SB)/8, $0x3fe0000000000000
DATA sigC2<>+8(SB)/8, $0x3fe0000000000000
DATA sigC2<>+16(SB)/8, $0x3fe0000000000000
DATA sigC2<>+24(SB)/8, $0x3fe0000000000000
GLOBL sigC2<>(SB), RODATA|NOPTR, $32
DATA sigC1<>+0(SB)/8, $0x3ff0000000000000
DATA sigC1<>+8(SB)/8, $0x3ff0000000000000
DATA sigC1<>+16(SB)/8, $0x3ff0000000000000
DATA sigC1<>+24(SB)/8, $0x3ff0000000000000
GLOBL sigC1<>(SB), RODATA|NOPTR, $32
DATA sigC0<>+0(SB)/8, $0x3ff0000000000000
DATA sigC0<>+8(SB)/8, $0x3ff0000000000000
DATA sigC0<>+16(SB)/8, $0x3ff0000000000000
DATA sigC0<>+24(SB)/8, $0x3ff0000000000000
GLOBL sigC0<>(SB), RODATA|NOPTR, $32

// func sigmoidAVX2(a, bias, p *float64, n int, beta float64)
//
// p[i] = 1/(1 + e^(−(beta·a[i] + bias[i]))) for i < n, n a multiple of 4;
// p may be a. e^x for x clamped to [−708, 709] (a NaN passes through) is
// 2^k·e^r with k = round(x/ln 2), |r| ≤ ln 2/2, e^r from its Taylor
// polynomial of degree 13 (Horner, fused multiply-adds), 2^k from the
// exponent bits.
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-40
	MOVQ a+0(FP), SI
	MOVQ bias+8(FP), DX
	MOVQ p+16(FP), DI
	MOVQ n+24(FP), CX
	VBROADCASTSD beta+32(FP), Y15
	VMOVUPD sigNeg<>(SB), Y14
	VMOVUPD sigMax<>(SB), Y13
	VMOVUPD sigMin<>(SB), Y12
	VMOVUPD sigLog2e<>(SB), Y11
	VMOVUPD sigMagic<>(SB), Y10
	VMOVUPD sigOne<>(SB), Y9
	SHRQ $2, CX
	JEQ done

loop:
	VMOVUPD (SI), Y0
	VFMADD213PD (DX), Y15, Y0   // t = beta·a + bias
	VXORPD Y14, Y0, Y0          // x = −t
	VMINPD Y0, Y13, Y0          // x = min(709, x); NaN stays
	VMAXPD Y0, Y12, Y0          // x = max(−708, x); NaN stays
	VMOVAPD Y10, Y2
	VFMADD231PD Y11, Y0, Y2     // kd = x/ln 2 + 1.5·2^52 (k in its low bits)
	VSUBPD Y10, Y2, Y3          // k as a float
	VMOVAPD Y0, Y4
	VFNMADD231PD sigLn2Hi<>(SB), Y3, Y4 // r = x − k·ln2hi
	VFNMADD231PD sigLn2Lo<>(SB), Y3, Y4 // r −= k·ln2lo
	VMOVUPD sigC13<>(SB), Y5
	VFMADD213PD sigC12<>(SB), Y4, Y5
	VFMADD213PD sigC11<>(SB), Y4, Y5
	VFMADD213PD sigC10<>(SB), Y4, Y5
	VFMADD213PD sigC9<>(SB), Y4, Y5
	VFMADD213PD sigC8<>(SB), Y4, Y5
	VFMADD213PD sigC7<>(SB), Y4, Y5
	VFMADD213PD sigC6<>(SB), Y4, Y5
	VFMADD213PD sigC5<>(SB), Y4, Y5
	VFMADD213PD sigC4<>(SB), Y4, Y5
	VFMADD213PD sigC3<>(SB), Y4, Y5
	VFMADD213PD sigC2<>(SB), Y4, Y5
	VFMADD213PD sigC1<>(SB), Y4, Y5
	VFMADD213PD sigC0<>(SB), Y4, Y5 // e^r
	VPADDQ sigBias<>(SB), Y2, Y6
	VPSLLQ $52, Y6, Y6          // 2^k
	VMULPD Y6, Y5, Y5           // e^x
	VADDPD Y9, Y5, Y5           // 1 + e^x
	VDIVPD Y5, Y9, Y5           // σ
	VMOVUPD Y5, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ loop

done:
	VZEROUPPER
	RET
