//go:build amd64

#include "textflag.h"

// Constants, each four times (a 32-byte vector), for memory operands.
//   0 log2e: 1/ln 2
DATA consts<>+0(SB)/8, $0x3ff71547652b82fe
DATA consts<>+8(SB)/8, $0x3ff71547652b82fe
DATA consts<>+16(SB)/8, $0x3ff71547652b82fe
DATA consts<>+24(SB)/8, $0x3ff71547652b82fe
//  32 ln2hi: ln 2, high part (fdlibm)
DATA consts<>+32(SB)/8, $0x3fe62e42fee00000
DATA consts<>+40(SB)/8, $0x3fe62e42fee00000
DATA consts<>+48(SB)/8, $0x3fe62e42fee00000
DATA consts<>+56(SB)/8, $0x3fe62e42fee00000
//  64 ln2lo: ln 2, low part
DATA consts<>+64(SB)/8, $0x3dea39ef35793c76
DATA consts<>+72(SB)/8, $0x3dea39ef35793c76
DATA consts<>+80(SB)/8, $0x3dea39ef35793c76
DATA consts<>+88(SB)/8, $0x3dea39ef35793c76
//  96 c13: 1/13!
DATA consts<>+96(SB)/8, $0x3de6124613a86d09
DATA consts<>+104(SB)/8, $0x3de6124613a86d09
DATA consts<>+112(SB)/8, $0x3de6124613a86d09
DATA consts<>+120(SB)/8, $0x3de6124613a86d09
// 128 c12: 1/12!
DATA consts<>+128(SB)/8, $0x3e21eed8eff8d898
DATA consts<>+136(SB)/8, $0x3e21eed8eff8d898
DATA consts<>+144(SB)/8, $0x3e21eed8eff8d898
DATA consts<>+152(SB)/8, $0x3e21eed8eff8d898
// 160 c11: 1/11!
DATA consts<>+160(SB)/8, $0x3e5ae64567f544e4
DATA consts<>+168(SB)/8, $0x3e5ae64567f544e4
DATA consts<>+176(SB)/8, $0x3e5ae64567f544e4
DATA consts<>+184(SB)/8, $0x3e5ae64567f544e4
// 192 c10: 1/10!
DATA consts<>+192(SB)/8, $0x3e927e4fb7789f5c
DATA consts<>+200(SB)/8, $0x3e927e4fb7789f5c
DATA consts<>+208(SB)/8, $0x3e927e4fb7789f5c
DATA consts<>+216(SB)/8, $0x3e927e4fb7789f5c
// 224 c9: 1/9!
DATA consts<>+224(SB)/8, $0x3ec71de3a556c734
DATA consts<>+232(SB)/8, $0x3ec71de3a556c734
DATA consts<>+240(SB)/8, $0x3ec71de3a556c734
DATA consts<>+248(SB)/8, $0x3ec71de3a556c734
// 256 c8: 1/8!
DATA consts<>+256(SB)/8, $0x3efa01a01a01a01a
DATA consts<>+264(SB)/8, $0x3efa01a01a01a01a
DATA consts<>+272(SB)/8, $0x3efa01a01a01a01a
DATA consts<>+280(SB)/8, $0x3efa01a01a01a01a
// 288 c7: 1/7!
DATA consts<>+288(SB)/8, $0x3f2a01a01a01a01a
DATA consts<>+296(SB)/8, $0x3f2a01a01a01a01a
DATA consts<>+304(SB)/8, $0x3f2a01a01a01a01a
DATA consts<>+312(SB)/8, $0x3f2a01a01a01a01a
// 320 c6: 1/6!
DATA consts<>+320(SB)/8, $0x3f56c16c16c16c17
DATA consts<>+328(SB)/8, $0x3f56c16c16c16c17
DATA consts<>+336(SB)/8, $0x3f56c16c16c16c17
DATA consts<>+344(SB)/8, $0x3f56c16c16c16c17
// 352 c5: 1/5!
DATA consts<>+352(SB)/8, $0x3f81111111111111
DATA consts<>+360(SB)/8, $0x3f81111111111111
DATA consts<>+368(SB)/8, $0x3f81111111111111
DATA consts<>+376(SB)/8, $0x3f81111111111111
// 384 c4: 1/4!
DATA consts<>+384(SB)/8, $0x3fa5555555555555
DATA consts<>+392(SB)/8, $0x3fa5555555555555
DATA consts<>+400(SB)/8, $0x3fa5555555555555
DATA consts<>+408(SB)/8, $0x3fa5555555555555
// 416 c3: 1/3!
DATA consts<>+416(SB)/8, $0x3fc5555555555555
DATA consts<>+424(SB)/8, $0x3fc5555555555555
DATA consts<>+432(SB)/8, $0x3fc5555555555555
DATA consts<>+440(SB)/8, $0x3fc5555555555555
// 448 c2: 1/2!
DATA consts<>+448(SB)/8, $0x3fe0000000000000
DATA consts<>+456(SB)/8, $0x3fe0000000000000
DATA consts<>+464(SB)/8, $0x3fe0000000000000
DATA consts<>+472(SB)/8, $0x3fe0000000000000
// 480 one: 1
DATA consts<>+480(SB)/8, $0x3ff0000000000000
DATA consts<>+488(SB)/8, $0x3ff0000000000000
DATA consts<>+496(SB)/8, $0x3ff0000000000000
DATA consts<>+504(SB)/8, $0x3ff0000000000000
// 512 two: 2
DATA consts<>+512(SB)/8, $0x4000000000000000
DATA consts<>+520(SB)/8, $0x4000000000000000
DATA consts<>+528(SB)/8, $0x4000000000000000
DATA consts<>+536(SB)/8, $0x4000000000000000
// 544 mtwo: -2
DATA consts<>+544(SB)/8, $0xc000000000000000
DATA consts<>+552(SB)/8, $0xc000000000000000
DATA consts<>+560(SB)/8, $0xc000000000000000
DATA consts<>+568(SB)/8, $0xc000000000000000
// 576 tclamp: tanh: |x| clamped to 20
DATA consts<>+576(SB)/8, $0x4034000000000000
DATA consts<>+584(SB)/8, $0x4034000000000000
DATA consts<>+592(SB)/8, $0x4034000000000000
DATA consts<>+600(SB)/8, $0x4034000000000000
// 608 elo: exp: x clamped to [-746, 710]
DATA consts<>+608(SB)/8, $0xc087500000000000
DATA consts<>+616(SB)/8, $0xc087500000000000
DATA consts<>+624(SB)/8, $0xc087500000000000
DATA consts<>+632(SB)/8, $0xc087500000000000
// 640 ehi: 
DATA consts<>+640(SB)/8, $0x4086300000000000
DATA consts<>+648(SB)/8, $0x4086300000000000
DATA consts<>+656(SB)/8, $0x4086300000000000
DATA consts<>+664(SB)/8, $0x4086300000000000
// 672 abs: sign bit clear
DATA consts<>+672(SB)/8, $0x7fffffffffffffff
DATA consts<>+680(SB)/8, $0x7fffffffffffffff
DATA consts<>+688(SB)/8, $0x7fffffffffffffff
DATA consts<>+696(SB)/8, $0x7fffffffffffffff
// 704 sign: sign bit
DATA consts<>+704(SB)/8, $0x8000000000000000
DATA consts<>+712(SB)/8, $0x8000000000000000
DATA consts<>+720(SB)/8, $0x8000000000000000
DATA consts<>+728(SB)/8, $0x8000000000000000
// 736 tsplit: tanh: (1−u)/(1+u) with u = exp(−2|x|) from |x| = 0.625, Cephes's rational below
DATA consts<>+736(SB)/8, $0x3fe4000000000000
DATA consts<>+744(SB)/8, $0x3fe4000000000000
DATA consts<>+752(SB)/8, $0x3fe4000000000000
DATA consts<>+760(SB)/8, $0x3fe4000000000000
// 768 tp0: tanh: Cephes's P and Q (as Go's math.Tanh)
DATA consts<>+768(SB)/8, $0xbfeedc5baafd6f4b
DATA consts<>+776(SB)/8, $0xbfeedc5baafd6f4b
DATA consts<>+784(SB)/8, $0xbfeedc5baafd6f4b
DATA consts<>+792(SB)/8, $0xbfeedc5baafd6f4b
// 800 tp1: 
DATA consts<>+800(SB)/8, $0xc058d26a0e26682d
DATA consts<>+808(SB)/8, $0xc058d26a0e26682d
DATA consts<>+816(SB)/8, $0xc058d26a0e26682d
DATA consts<>+824(SB)/8, $0xc058d26a0e26682d
// 832 tp2: 
DATA consts<>+832(SB)/8, $0xc0993ac030580563
DATA consts<>+840(SB)/8, $0xc0993ac030580563
DATA consts<>+848(SB)/8, $0xc0993ac030580563
DATA consts<>+856(SB)/8, $0xc0993ac030580563
// 864 tq0: 
DATA consts<>+864(SB)/8, $0x405c33f28a581b86
DATA consts<>+872(SB)/8, $0x405c33f28a581b86
DATA consts<>+880(SB)/8, $0x405c33f28a581b86
DATA consts<>+888(SB)/8, $0x405c33f28a581b86
// 896 tq1: 
DATA consts<>+896(SB)/8, $0x40a176fa0e5535fa
DATA consts<>+904(SB)/8, $0x40a176fa0e5535fa
DATA consts<>+912(SB)/8, $0x40a176fa0e5535fa
DATA consts<>+920(SB)/8, $0x40a176fa0e5535fa
// 928 tq2: 
DATA consts<>+928(SB)/8, $0x40b2ec102442040c
DATA consts<>+936(SB)/8, $0x40b2ec102442040c
DATA consts<>+944(SB)/8, $0x40b2ec102442040c
DATA consts<>+952(SB)/8, $0x40b2ec102442040c
// 960 sqrt2: log1p: w > √2 is halved
DATA consts<>+960(SB)/8, $0x3ff6a09e667f3bcd
DATA consts<>+968(SB)/8, $0x3ff6a09e667f3bcd
DATA consts<>+976(SB)/8, $0x3ff6a09e667f3bcd
DATA consts<>+984(SB)/8, $0x3ff6a09e667f3bcd
// 992 half: 0.5
DATA consts<>+992(SB)/8, $0x3fe0000000000000
DATA consts<>+1000(SB)/8, $0x3fe0000000000000
DATA consts<>+1008(SB)/8, $0x3fe0000000000000
DATA consts<>+1016(SB)/8, $0x3fe0000000000000
// 1024 lg1: log: fdlibm's Lg1..Lg7
DATA consts<>+1024(SB)/8, $0x3fe5555555555593
DATA consts<>+1032(SB)/8, $0x3fe5555555555593
DATA consts<>+1040(SB)/8, $0x3fe5555555555593
DATA consts<>+1048(SB)/8, $0x3fe5555555555593
// 1056 lg2: 
DATA consts<>+1056(SB)/8, $0x3fd999999997fa04
DATA consts<>+1064(SB)/8, $0x3fd999999997fa04
DATA consts<>+1072(SB)/8, $0x3fd999999997fa04
DATA consts<>+1080(SB)/8, $0x3fd999999997fa04
// 1088 lg3: 
DATA consts<>+1088(SB)/8, $0x3fd2492494229359
DATA consts<>+1096(SB)/8, $0x3fd2492494229359
DATA consts<>+1104(SB)/8, $0x3fd2492494229359
DATA consts<>+1112(SB)/8, $0x3fd2492494229359
// 1120 lg4: 
DATA consts<>+1120(SB)/8, $0x3fcc71c51d8e78af
DATA consts<>+1128(SB)/8, $0x3fcc71c51d8e78af
DATA consts<>+1136(SB)/8, $0x3fcc71c51d8e78af
DATA consts<>+1144(SB)/8, $0x3fcc71c51d8e78af
// 1152 lg5: 
DATA consts<>+1152(SB)/8, $0x3fc7466496cb03de
DATA consts<>+1160(SB)/8, $0x3fc7466496cb03de
DATA consts<>+1168(SB)/8, $0x3fc7466496cb03de
DATA consts<>+1176(SB)/8, $0x3fc7466496cb03de
// 1184 lg6: 
DATA consts<>+1184(SB)/8, $0x3fc39a09d078c69f
DATA consts<>+1192(SB)/8, $0x3fc39a09d078c69f
DATA consts<>+1200(SB)/8, $0x3fc39a09d078c69f
DATA consts<>+1208(SB)/8, $0x3fc39a09d078c69f
// 1216 lg7: 
DATA consts<>+1216(SB)/8, $0x3fc2f112df3e5244
DATA consts<>+1224(SB)/8, $0x3fc2f112df3e5244
DATA consts<>+1232(SB)/8, $0x3fc2f112df3e5244
DATA consts<>+1240(SB)/8, $0x3fc2f112df3e5244
// 1248 bias: int32 1023 four times
DATA consts<>+1248(SB)/4, $1023
DATA consts<>+1252(SB)/4, $1023
DATA consts<>+1256(SB)/4, $1023
DATA consts<>+1260(SB)/4, $1023
// 1264 three: 3
DATA consts<>+1264(SB)/8, $0x4008000000000000
DATA consts<>+1272(SB)/8, $0x4008000000000000
DATA consts<>+1280(SB)/8, $0x4008000000000000
DATA consts<>+1288(SB)/8, $0x4008000000000000
GLOBL consts<>(SB), RODATA|NOPTR, $1296
#define K_log2e consts<>+0(SB)
#define K_ln2hi consts<>+32(SB)
#define K_ln2lo consts<>+64(SB)
#define K_c13 consts<>+96(SB)
#define K_c12 consts<>+128(SB)
#define K_c11 consts<>+160(SB)
#define K_c10 consts<>+192(SB)
#define K_c9 consts<>+224(SB)
#define K_c8 consts<>+256(SB)
#define K_c7 consts<>+288(SB)
#define K_c6 consts<>+320(SB)
#define K_c5 consts<>+352(SB)
#define K_c4 consts<>+384(SB)
#define K_c3 consts<>+416(SB)
#define K_c2 consts<>+448(SB)
#define K_one consts<>+480(SB)
#define K_two consts<>+512(SB)
#define K_mtwo consts<>+544(SB)
#define K_tclamp consts<>+576(SB)
#define K_elo consts<>+608(SB)
#define K_ehi consts<>+640(SB)
#define K_abs consts<>+672(SB)
#define K_sign consts<>+704(SB)
#define K_tsplit consts<>+736(SB)
#define K_tp0 consts<>+768(SB)
#define K_tp1 consts<>+800(SB)
#define K_tp2 consts<>+832(SB)
#define K_tq0 consts<>+864(SB)
#define K_tq1 consts<>+896(SB)
#define K_tq2 consts<>+928(SB)
#define K_sqrt2 consts<>+960(SB)
#define K_half consts<>+992(SB)
#define K_lg1 consts<>+1024(SB)
#define K_lg2 consts<>+1056(SB)
#define K_lg3 consts<>+1088(SB)
#define K_lg4 consts<>+1120(SB)
#define K_lg5 consts<>+1152(SB)
#define K_lg6 consts<>+1184(SB)
#define K_lg7 consts<>+1216(SB)
#define K_bias consts<>+1248(SB)
#define K_three consts<>+1264(SB)

// EXPM1R sets Y3 = expm1(Y2) for |Y2| ≤ ln2/2 (a bit more is fine):
// r + r²·(1/2! + r/3! + … + r¹¹/13!), Horner; Y4 is scratch.
#define EXPM1R \
	VMOVUPD K_c13, Y3 \
	VFMADD213PD K_c12, Y2, Y3 \
	VFMADD213PD K_c11, Y2, Y3 \
	VFMADD213PD K_c10, Y2, Y3 \
	VFMADD213PD K_c9, Y2, Y3 \
	VFMADD213PD K_c8, Y2, Y3 \
	VFMADD213PD K_c7, Y2, Y3 \
	VFMADD213PD K_c6, Y2, Y3 \
	VFMADD213PD K_c5, Y2, Y3 \
	VFMADD213PD K_c4, Y2, Y3 \
	VFMADD213PD K_c3, Y2, Y3 \
	VFMADD213PD K_c2, Y2, Y3 \
	VMULPD Y2, Y2, Y4 \
	VFMADD213PD Y2, Y4, Y3

// REDUCE: from Y0 = v, Y1 = k = round(v/ln2) and Y2 = r = v − k·ln2
// (two-part ln2, fused multiply-adds).
#define REDUCE \
	VMULPD K_log2e, Y0, Y1 \
	VROUNDPD $0, Y1, Y1 \
	VMOVAPD Y0, Y2 \
	VFNMADD231PD K_ln2hi, Y1, Y2 \
	VFNMADD231PD K_ln2lo, Y1, Y2

// EXPV sets Y3 = exp(Y0) for Y0 in [-746, 710]: 2^k1·(2^k2·(1 + expm1(r)))
// with k1 = k>>1, k2 = k − k1, so that subnormal results round once
// and results past 2^1024 overflow to +Inf. Y1, Y2, Y4, Y5, Y6 scratch.
#define EXPV \
	REDUCE \
	EXPM1R \
	VCVTPD2DQY Y1, X5 \
	VPSRAD $1, X5, X6 \
	VPSUBD X6, X5, X5 \
	VPADDD K_bias, X6, X6 \
	VPADDD K_bias, X5, X5 \
	VPMOVZXDQ X6, Y6 \
	VPMOVZXDQ X5, Y5 \
	VPSLLQ $52, Y6, Y6 \
	VPSLLQ $52, Y5, Y5 \
	VFMADD213PD Y5, Y5, Y3 \
	VMULPD Y6, Y3, Y3

// func expAVX2(dst, x *float64, n int)
// dst[i] = exp(x[i]) for i < n; n is a multiple of 4.
TEXT ·expAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ expdone
	VMOVUPD K_elo, Y14
	VMOVUPD K_ehi, Y15

exploop:
	VMOVUPD (SI), Y0
	VMAXPD Y0, Y14, Y0 // max(−746, x), NaN stays NaN
	VMINPD Y0, Y15, Y0 // min(710, x)
	EXPV
	VMOVUPD Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ exploop
	VZEROUPPER

expdone:
	RET

// func expSumAVX2(dst, x *float64, n int, acc *[4]float64)
// dst[i] = exp(x[i]) for i < n (a multiple of 4), and acc = the four
// lane sums of dst.
TEXT ·expSumAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ acc+24(FP), DX
	VXORPD Y13, Y13, Y13
	SHRQ $2, CX
	JZ esdone
	VMOVUPD K_elo, Y14
	VMOVUPD K_ehi, Y15

esloop:
	VMOVUPD (SI), Y0
	VMAXPD Y0, Y14, Y0 // max(−746, x), NaN stays NaN
	VMINPD Y0, Y15, Y0 // min(710, x)
	EXPV
	VMOVUPD Y3, (DI)
	VADDPD Y3, Y13, Y13
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ esloop

esdone:
	VMOVUPD Y13, (DX)
	VZEROUPPER
	RET

// TANHV sets Y3 = tanh(Y8) = sign(x)·(1−u)/(1+u), u = exp(−2·min(|x|, 20)),
// for |x| ≥ 0.625, and below Cephes's rational x + x·z·P(z)/Q(z), z = x²
// (as Go's math.Tanh); both are computed around one division: |x| is
// clamped to 20 (NaN stays NaN), v = −2|x| gives u = 2^k·(1 + expm1(r))
// with 2^k normal (k in [−58, 0]); the blend picks Cephes's P/Q below
// 0.625 (and for NaN) or (u−1)/(u+1) = −tanh|x| from 0.625 on, and the
// sign of x is put back last. Y14 must hold K_tclamp; Y0–Y13 are scratch
// (Y8 included).
#define TANHV \
	VANDPD K_abs, Y8, Y7 \
	VMINPD Y7, Y14, Y7 \
	VMULPD K_mtwo, Y7, Y0 \
	REDUCE \
	EXPM1R \
	VCVTPD2DQY Y1, X5 \
	VPADDD K_bias, X5, X5 \
	VPMOVZXDQ X5, Y5 \
	VPSLLQ $52, Y5, Y5 \
	VFMADD213PD Y5, Y5, Y3 \
	VSUBPD K_one, Y3, Y10 \
	VADDPD K_one, Y3, Y11 \
	VMULPD Y7, Y7, Y13 \
	VMOVUPD K_tp0, Y9 \
	VFMADD213PD K_tp1, Y13, Y9 \
	VFMADD213PD K_tp2, Y13, Y9 \
	VADDPD K_tq0, Y13, Y6 \
	VFMADD213PD K_tq1, Y13, Y6 \
	VFMADD213PD K_tq2, Y13, Y6 \
	VCMPPD $0x1d, K_tsplit, Y7, Y12 \
	VBLENDVPD Y12, Y10, Y9, Y9 \
	VBLENDVPD Y12, Y11, Y6, Y6 \
	VDIVPD Y6, Y9, Y9 \
	VMULPD Y7, Y13, Y13 \
	VMOVAPD Y7, Y4 \
	VFMADD231PD Y9, Y13, Y4 \
	VBLENDVPD Y12, Y9, Y4, Y3 \
	VANDPD K_abs, Y3, Y3 \
	VANDPD K_sign, Y8, Y8 \
	VORPD Y8, Y3, Y3

// func tanhAVX2(dst, x *float64, n int)
// dst[i] = tanh(x[i]) = sign(x)·(1−u)/(1+u), u = exp(−2·min(|x|, 20)), for
// |x| ≥ 0.625, and below Cephes's rational x + x·z·P(z)/Q(z), z = x² (as
// Go's math.Tanh); both are computed around one division.
TEXT ·tanhAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ tanhdone
	VMOVUPD K_tclamp, Y14

tanhloop:
	VMOVUPD (SI), Y8
	TANHV
	VMOVUPD Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ tanhloop
	VZEROUPPER

tanhdone:
	RET

// func sigmoidAVX2(dst, x *float64, n int)
// dst[i] = 1/(1+e) for x ≥ 0, e/(1+e) otherwise, e = exp(−|x|).
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ sigdone
	VMOVUPD K_elo, Y14
	VXORPD Y15, Y15, Y15

sigloop:
	VMOVUPD (SI), Y8
	VORPD K_sign, Y8, Y0 // −|x|
	VMAXPD Y0, Y14, Y0 // max(−746, −|x|), NaN stays NaN
	EXPV
	VADDPD K_one, Y3, Y4 // 1 + e
	VCMPPD $13, Y15, Y8, Y9 // x ≥ 0 (false for NaN)
	VBLENDVPD Y9, K_one, Y3, Y10 // 1 where x ≥ 0, else e
	VDIVPD Y4, Y10, Y10
	VMOVUPD Y10, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ sigloop
	VZEROUPPER

sigdone:
	RET

// func softplusAVX2(dst, x *float64, n int)
// dst[i] = max(x, 0) + log1p(u), u = exp(−|x|) in (0, 1]: log1p(u) =
// log(w) + c/w with w = 1 + u rounded and c = u − (w − 1) exact; log(w) =
// e·ln2 + log(m), m = w or w/2 in [√2/2, √2], by fdlibm's log polynomial.
TEXT ·softplusAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ spdone
	VMOVUPD K_elo, Y14
	VXORPD Y15, Y15, Y15

sploop:
	VMOVUPD (SI), Y8
	VORPD K_sign, Y8, Y0 // −|x|
	VMAXPD Y0, Y14, Y0 // max(−746, −|x|), NaN stays NaN
	EXPV // Y3 = u
	VADDPD K_one, Y3, Y9 // w = 1 + u
	VSUBPD K_one, Y9, Y10 // w − 1, exact
	VSUBPD Y10, Y3, Y10 // c = u − (w − 1), exact
	VDIVPD Y9, Y10, Y10 // c/w
	VCMPPD $0x1e, K_sqrt2, Y9, Y11 // w > √2
	VMULPD K_half, Y9, Y12
	VBLENDVPD Y11, Y12, Y9, Y12 // m = w/2 where w > √2, else w
	VANDPD K_one, Y11, Y13 // e = 1 where w > √2, else 0
	VSUBPD K_one, Y12, Y12 // f = m − 1, exact
	VADDPD K_two, Y12, Y1
	VDIVPD Y1, Y12, Y1 // s = f/(2 + f)
	VMULPD Y1, Y1, Y2 // z = s²
	VMOVUPD K_lg7, Y4
	VFMADD213PD K_lg6, Y2, Y4
	VFMADD213PD K_lg5, Y2, Y4
	VFMADD213PD K_lg4, Y2, Y4
	VFMADD213PD K_lg3, Y2, Y4
	VFMADD213PD K_lg2, Y2, Y4
	VFMADD213PD K_lg1, Y2, Y4
	VMULPD Y2, Y4, Y4 // R
	VMULPD Y12, Y12, Y5
	VMULPD K_half, Y5, Y5 // hfsq = f²/2
	VADDPD Y5, Y4, Y4
	VMULPD Y1, Y4, Y4 // s·(hfsq + R)
	VFMADD231PD K_ln2lo, Y13, Y10 // e·ln2lo + c/w
	VADDPD Y10, Y4, Y4
	VSUBPD Y4, Y5, Y5 // hfsq − (s·(hfsq + R) + e·ln2lo + c/w)
	VSUBPD Y12, Y5, Y5 // … − f
	VFMSUB231PD K_ln2hi, Y13, Y5 // log1p(u) = e·ln2hi − (…)
	VMAXPD Y15, Y8, Y6 // max(x, 0)
	VADDPD Y6, Y5, Y5
	VMOVUPD Y5, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ sploop
	VZEROUPPER

spdone:
	RET

// func adamAVX(x, gr, m, v *float64, n int, p *[9]float64)
// The Adam update of n values (a multiple of 4) with p = scale, β1, 1−β1,
// β2, 1−β2, lr, c1, c2, eps, operation for operation as the scalar
// loop of Adam (no fused multiply-adds, so bit for bit the same):
// g ← scale·g; m ← β1·m + (1−β1)·g; v ← β2·v + ((1−β2)·g)·g;
// x ← x − lr·(m·c1)/(√(v·c2) + eps); g ← 0.
TEXT ·adamAVX(SB), NOSPLIT, $0-48
	MOVQ x+0(FP), DI
	MOVQ gr+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ p+40(FP), DX
	SHRQ $2, CX
	JZ adamdone
	VBROADCASTSD 0(DX), Y8 // scale
	VBROADCASTSD 8(DX), Y9 // β1
	VBROADCASTSD 16(DX), Y10 // 1−β1
	VBROADCASTSD 24(DX), Y11 // β2
	VBROADCASTSD 32(DX), Y12 // 1−β2
	VBROADCASTSD 40(DX), Y13 // lr
	VBROADCASTSD 48(DX), Y14 // c1
	VBROADCASTSD 56(DX), Y15 // c2
	VXORPD Y7, Y7, Y7

adamloop:
	VMOVUPD (SI), Y0
	VMULPD Y8, Y0, Y0 // g·scale
	VMULPD (R8), Y9, Y1 // β1·m
	VMULPD Y0, Y10, Y2 // (1−β1)·g
	VADDPD Y2, Y1, Y1 // m
	VMULPD (R9), Y11, Y3 // β2·v
	VMULPD Y0, Y12, Y4 // (1−β2)·g
	VMULPD Y0, Y4, Y4 // ((1−β2)·g)·g
	VADDPD Y4, Y3, Y3 // v
	VMOVUPD Y1, (R8)
	VMOVUPD Y3, (R9)
	VMULPD Y14, Y1, Y5 // m·c1
	VMULPD Y13, Y5, Y5 // lr·(m·c1)
	VMULPD Y15, Y3, Y6 // v·c2
	VSQRTPD Y6, Y6
	VBROADCASTSD 64(DX), Y2 // eps
	VADDPD Y2, Y6, Y6
	VDIVPD Y6, Y5, Y5
	VMOVUPD (DI), Y2
	VSUBPD Y5, Y2, Y2 // x − lr·(m·c1)/(√(v·c2) + eps)
	VMOVUPD Y2, (DI)
	VMOVUPD Y7, (SI) // g ← 0
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ CX
	JNZ adamloop
	VZEROUPPER

adamdone:
	RET

// func addRowsAVX2(y, b *float64, rows, m int)
// y[i·m+j] += b[j] for i < rows, j < m: 16 columns a step, then 4, then
// one (the sums are the plain loop's, bit for bit).
TEXT ·addRowsAVX2(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ rows+16(FP), R8
	MOVQ m+24(FP), R9
	TESTQ R8, R8
	JZ ardone
	TESTQ R9, R9
	JZ ardone
	MOVQ R9, R10
	ANDQ $-16, R10 // columns in whole 16s
	MOVQ R9, R11
	ANDQ $-4, R11 // columns in whole 4s

arrow:
	XORQ AX, AX
	CMPQ AX, R10
	JGE ar4

ar16:
	VMOVUPD (DI)(AX*8), Y0
	VMOVUPD 32(DI)(AX*8), Y1
	VMOVUPD 64(DI)(AX*8), Y2
	VMOVUPD 96(DI)(AX*8), Y3
	VADDPD (SI)(AX*8), Y0, Y0
	VADDPD 32(SI)(AX*8), Y1, Y1
	VADDPD 64(SI)(AX*8), Y2, Y2
	VADDPD 96(SI)(AX*8), Y3, Y3
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y1, 32(DI)(AX*8)
	VMOVUPD Y2, 64(DI)(AX*8)
	VMOVUPD Y3, 96(DI)(AX*8)
	ADDQ $16, AX
	CMPQ AX, R10
	JLT ar16

ar4:
	CMPQ AX, R11
	JGE ar1
	VMOVUPD (DI)(AX*8), Y0
	VADDPD (SI)(AX*8), Y0, Y0
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ $4, AX
	JMP ar4

ar1:
	CMPQ AX, R9
	JGE arnext
	VMOVSD (DI)(AX*8), X0
	VADDSD (SI)(AX*8), X0, X0
	VMOVSD X0, (DI)(AX*8)
	INCQ AX
	JMP ar1

arnext:
	LEAQ (DI)(R9*8), DI
	DECQ R8
	JNZ arrow
	VZEROUPPER

ardone:
	RET

// func sumRowsAVX2(dst, x *float64, rows, m int)
// dst[j] = Σ_i x[i·m+j] for j < m, the rows added in order from +0 (bit
// for bit the plain loop): 32 columns at a time in eight accumulators,
// then 4, then one.
TEXT ·sumRowsAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ rows+16(FP), R8
	MOVQ m+24(FP), R9
	MOVQ R9, R12
	SHLQ $3, R12 // row stride in bytes
	XORQ AX, AX // column

sr32:
	LEAQ 32(AX), DX
	CMPQ DX, R9
	JGT sr4
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	LEAQ (SI)(AX*8), BX
	MOVQ R8, CX
	TESTQ CX, CX
	JZ sr32store

sr32row:
	VADDPD (BX), Y0, Y0
	VADDPD 32(BX), Y1, Y1
	VADDPD 64(BX), Y2, Y2
	VADDPD 96(BX), Y3, Y3
	VADDPD 128(BX), Y4, Y4
	VADDPD 160(BX), Y5, Y5
	VADDPD 192(BX), Y6, Y6
	VADDPD 224(BX), Y7, Y7
	ADDQ R12, BX
	DECQ CX
	JNZ sr32row

sr32store:
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y1, 32(DI)(AX*8)
	VMOVUPD Y2, 64(DI)(AX*8)
	VMOVUPD Y3, 96(DI)(AX*8)
	VMOVUPD Y4, 128(DI)(AX*8)
	VMOVUPD Y5, 160(DI)(AX*8)
	VMOVUPD Y6, 192(DI)(AX*8)
	VMOVUPD Y7, 224(DI)(AX*8)
	MOVQ DX, AX
	JMP sr32

sr4:
	LEAQ 4(AX), DX
	CMPQ DX, R9
	JGT sr1
	VXORPD Y0, Y0, Y0
	LEAQ (SI)(AX*8), BX
	MOVQ R8, CX
	TESTQ CX, CX
	JZ sr4store

sr4row:
	VADDPD (BX), Y0, Y0
	ADDQ R12, BX
	DECQ CX
	JNZ sr4row

sr4store:
	VMOVUPD Y0, (DI)(AX*8)
	MOVQ DX, AX
	JMP sr4

sr1:
	CMPQ AX, R9
	JGE srdone
	VXORPD X0, X0, X0
	LEAQ (SI)(AX*8), BX
	MOVQ R8, CX
	TESTQ CX, CX
	JZ sr1store

sr1row:
	VADDSD (BX), X0, X0
	ADDQ R12, BX
	DECQ CX
	JNZ sr1row

sr1store:
	VMOVSD X0, (DI)(AX*8)
	INCQ AX
	JMP sr1

srdone:
	VZEROUPPER
	RET

// func tanhDerivsAVX2(t, s1, s2, s3, x *float64, n int)
// t[i] = tanh(x[i]) (TANHV, as tanhAVX2), s1[i] = 1 − t·t and, for s2
// and s3 not nil, s2[i] = (−2·t)·s1 and s3[i] = (−2·s1)·(1 − (3·t)·t), for
// i < n (a multiple of 4): each product and difference rounded on its own,
// as the Go expressions are (no fused multiply-adds).
TEXT ·tanhDerivsAVX2(SB), NOSPLIT, $0-48
	MOVQ t+0(FP), DI
	MOVQ s1+8(FP), R8
	MOVQ s2+16(FP), R9
	MOVQ s3+24(FP), R10
	MOVQ x+32(FP), SI
	MOVQ n+40(FP), CX
	SHRQ $2, CX
	JZ tddone
	MOVQ R9, R11 // R11, R12: s2, s3 wanted (their pointers move on regardless)
	MOVQ R10, R12
	VMOVUPD K_tclamp, Y14
	VMOVUPD K_one, Y15

tdloop:
	VMOVUPD (SI), Y8
	TANHV
	VMOVUPD Y3, (DI)
	VMULPD Y3, Y3, Y0 // t·t
	VSUBPD Y0, Y15, Y1 // d = 1 − t·t
	VMOVUPD Y1, (R8)
	TESTQ R11, R11
	JZ tdno2
	VMULPD K_mtwo, Y3, Y2 // −2·t
	VMULPD Y1, Y2, Y2 // (−2·t)·d
	VMOVUPD Y2, (R9)

tdno2:
	TESTQ R12, R12
	JZ tdno3
	VMULPD K_mtwo, Y1, Y4 // −2·d
	VMULPD K_three, Y3, Y5 // 3·t
	VMULPD Y3, Y5, Y5 // (3·t)·t
	VSUBPD Y5, Y15, Y5 // 1 − (3·t)·t
	VMULPD Y5, Y4, Y4
	VMOVUPD Y4, (R10)

tdno3:
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	DECQ CX
	JNZ tdloop
	VZEROUPPER

tddone:
	RET
