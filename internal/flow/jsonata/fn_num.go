package jsonata

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

func numArg(v any) (float64, bool) {
	f, ok := v.(float64)
	return f, ok
}

func numFn(f func(float64) (any, error)) func(*evaluator, []any, *callCtx) (any, error) {
	return func(_ *evaluator, args []any, _ *callCtx) (any, error) {
		x, ok := numArg(args[0])
		if !ok {
			return Undefined, nil
		}
		return f(x)
	}
}

func numbersOf(v any) ([]float64, bool) {
	a, ok := v.(*array)
	if !ok {
		return nil, false
	}
	out := make([]float64, 0, len(a.items))
	for _, it := range a.items {
		f, _ := it.(float64)
		out = append(out, f)
	}
	return out, true
}

func fnSum(_ *evaluator, args []any, _ *callCtx) (any, error) {
	ns, ok := numbersOf(args[0])
	if !ok {
		return Undefined, nil
	}
	total := 0.0
	for _, n := range ns {
		total += n
	}
	return total, nil
}

func fnCount(_ *evaluator, args []any, _ *callCtx) (any, error) {
	a, ok := args[0].(*array)
	if !ok {
		return 0.0, nil
	}
	return float64(len(a.items)), nil
}

func fnMax(_ *evaluator, args []any, _ *callCtx) (any, error) {
	ns, ok := numbersOf(args[0])
	if !ok || len(ns) == 0 {
		return Undefined, nil
	}
	m := math.Inf(-1)
	for _, n := range ns {
		if math.IsNaN(n) {
			return math.NaN(), nil
		}
		m = math.Max(m, n)
	}
	return m, nil
}

func fnMin(_ *evaluator, args []any, _ *callCtx) (any, error) {
	ns, ok := numbersOf(args[0])
	if !ok || len(ns) == 0 {
		return Undefined, nil
	}
	m := math.Inf(1)
	for _, n := range ns {
		if math.IsNaN(n) {
			return math.NaN(), nil
		}
		m = math.Min(m, n)
	}
	return m, nil
}

func fnAverage(_ *evaluator, args []any, _ *callCtx) (any, error) {
	ns, ok := numbersOf(args[0])
	if !ok || len(ns) == 0 {
		return Undefined, nil
	}
	total := 0.0
	for _, n := range ns {
		total += n
	}
	return total / float64(len(ns)), nil
}

var (
	decimalNumberRe = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$`)
	radixNumberRe   = regexp.MustCompile(`^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$`)
	fullRadixRe     = regexp.MustCompile(`^0([xX][0-9A-Fa-f]+|[oO][0-7]+|[bB][01]+)$`)
)

func fnNumber(_ *evaluator, args []any, _ *callCtx) (any, error) {
	switch x := args[0].(type) {
	case undefinedType:
		return Undefined, nil
	case float64:
		return x, nil
	case bool:
		if x {
			return 1.0, nil
		}
		return 0.0, nil
	case string:
		if decimalNumberRe.MatchString(x) {
			f, err := strconv.ParseFloat(x, 64)
			if err == nil && !math.IsInf(f, 0) {
				return f, nil
			}
		} else if radixNumberRe.MatchString(x) {
			if !fullRadixRe.MatchString(x) {
				return math.NaN(), nil
			}
			return radixValue(x), nil
		}
	}
	e := errVal("D3030", args[0])
	e.index = 1
	return nil, e
}

func radixValue(s string) float64 {
	base := 16
	switch s[1] {
	case 'o', 'O':
		base = 8
	case 'b', 'B':
		base = 2
	}
	n, ok := new(big.Int).SetString(s[2:], base)
	if !ok {
		return math.NaN()
	}
	f, _ := new(big.Float).SetInt(n).Float64()
	return f
}

// roundHalfEven is fn.round: half to even at the given decimal precision.
func roundHalfEven(arg float64, precision float64) float64 {
	if precision != 0 {
		arg = shiftDecimal(arg, precision)
	}
	result := math.Floor(arg + 0.5)
	diff := result - arg
	if math.Abs(diff) == 0.5 && math.Abs(math.Mod(result, 2)) == 1 {
		result--
	}
	if precision != 0 {
		result = shiftDecimal(result, -precision)
	}
	if result == 0 {
		result = 0 // no -0
	}
	return result
}

// shiftDecimal is +(mantissa + 'e' + (exp + by)) on x's JavaScript string.
func shiftDecimal(x, by float64) float64 {
	s := FormatNumber(x)
	mant, exp, hasExp := strings.Cut(s, "e")
	e := 0.0
	if hasExp {
		e, _ = strconv.ParseFloat(exp, 64)
	}
	f, err := strconv.ParseFloat(mant+"e"+FormatNumber(e+by), 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

func fnRound(_ *evaluator, args []any, _ *callCtx) (any, error) {
	x, ok := numArg(args[0])
	if !ok {
		return Undefined, nil
	}
	p, _ := numArg(args[1])
	return roundHalfEven(x, p), nil
}

func fnSqrt(x float64) (any, error) {
	if x < 0 {
		e := errVal("D3060", x)
		e.index = 1
		return nil, e
	}
	return math.Sqrt(x), nil
}

func fnPower(_ *evaluator, args []any, _ *callCtx) (any, error) {
	x, ok := numArg(args[0])
	if !ok {
		return Undefined, nil
	}
	y, _ := numArg(args[1])
	r := jsPow(x, y)
	if math.IsInf(r, 0) || math.IsNaN(r) {
		e := errVal("D3061", x)
		e.index = 1
		e.extra = map[string]any{"exp": y}
		return nil, e
	}
	return r, nil
}

// jsPow is Math.pow (which differs from math.Pow for (±1)^±Inf).
func jsPow(x, y float64) float64 {
	if math.IsNaN(y) {
		return math.NaN()
	}
	if (x == 1 || x == -1) && math.IsInf(y, 0) {
		return math.NaN()
	}
	return math.Pow(x, y)
}

func fnFormatBase(_ *evaluator, args []any, _ *callCtx) (any, error) {
	x, ok := numArg(args[0])
	if !ok {
		return Undefined, nil
	}
	x = roundHalfEven(x, 0)
	radix := 10.0
	if r, ok := numArg(args[1]); ok {
		radix = roundHalfEven(r, 0)
	}
	if radix < 2 || radix > 36 {
		return nil, errVal("D3100", radix)
	}
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return FormatNumber(x), nil
	}
	bf := new(big.Float).SetFloat64(x)
	bi, _ := bf.Int(nil)
	return bi.Text(int(radix)), nil
}
