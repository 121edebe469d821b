package lang

import (
	"encoding/json"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// template is the first argument of States.Format when written as a literal:
// the text between the quotes, escapes kept, so that \{ and \} stay literal
// braces rather than placeholders.
type template string

// format implements States.Format: each {} takes the next argument, rendered
// as AWS (Java) prints it; \{ \} \' and \\ are literal characters. A lone {
// or }, or a placeholder count that differs from the argument count, fails.
func format(args []any, _ Runtime) (any, error) {
	var tmpl string
	switch t := args[0].(type) {
	case template:
		tmpl = string(t)
	case string:
		tmpl = t
	default:
		return nil, errInvalid
	}
	rest := args[1:]
	var b strings.Builder
	next := 0
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		switch {
		case c == '\\' && i+1 < len(tmpl) && strings.IndexByte(`{}'\`, tmpl[i+1]) >= 0:
			b.WriteByte(tmpl[i+1])
			i++
		case c == '{':
			if i+1 >= len(tmpl) || tmpl[i+1] != '}' || next >= len(rest) {
				return nil, errInvalid
			}
			b.WriteString(FormatValue(rest[next]))
			next++
			i++
		case c == '}':
			return nil, errInvalid
		default:
			b.WriteByte(c)
		}
	}
	if next != len(rest) {
		return nil, errInvalid
	}
	return b.String(), nil
}

// FormatValue renders a value the way AWS's States.Format does (Java's
// toString): strings as they are, null as "null", numbers as Java prints
// them, objects as {key=value, ...} and arrays as [a, b]. Object keys are
// sorted because Go maps keep no order.
func FormatValue(v any) string {
	var b strings.Builder
	writeJava(&b, v)
	return b.String()
}

func writeJava(b *strings.Builder, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		b.WriteString(t)
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case json.Number:
		b.WriteString(JavaNumber(t))
	case float64:
		b.WriteString(javaDouble(t))
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJava(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k)
			b.WriteByte('=')
			writeJava(b, t[k])
		}
		b.WriteByte('}')
	default:
		b.WriteString(JSON(t))
	}
}

// JavaNumber prints a JSON number as Java does after Jackson read it: an
// integer as its digits, anything with a fraction or exponent as a Java
// double (1.1, 100.0, 1.0E21).
func JavaNumber(n json.Number) string {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if s == "-0" {
			return "0"
		}
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return javaDouble(f)
}

// javaDouble is Java's Double.toString.
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	abs := math.Abs(f)
	if abs >= 1e-3 && abs < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±xx
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// Equal reports whether two JSON values are equal; numbers compare by value
// (1 equals 1.0).
func Equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !Equal(v, w) {
				return false
			}
		}
		return true
	}
	c, ok := CompareNumbers(a, b)
	return ok && c == 0
}

// CompareNumbers compares two JSON numbers exactly. ok is false when either
// is not a number.
func CompareNumbers(a, b any) (cmp int, ok bool) {
	x, ok1 := bigNumber(a)
	y, ok2 := bigNumber(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	return x.Cmp(y), true
}

func bigNumber(v any) (*big.Float, bool) {
	switch t := v.(type) {
	case json.Number:
		if len(t) > 400 {
			return nil, false
		}
		f, _, err := big.ParseFloat(string(t), 10, 200, big.ToNearestEven)
		return f, err == nil
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, false
		}
		return big.NewFloat(t), true
	case int:
		return big.NewFloat(float64(t)), true
	}
	return nil, false
}

// javaRandom is java.util.Random, so that a seeded States.MathRandom gives
// the number AWS's JVM gives.
type javaRandom struct{ seed int64 }

const (
	javaMultiplier = 0x5DEECE66D
	javaMask       = (1 << 48) - 1
)

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ javaMultiplier) & javaMask}
}

func (r *javaRandom) next(bits uint) int32 {
	r.seed = (r.seed*javaMultiplier + 0xB) & javaMask
	return int32(uint64(r.seed) >> (48 - bits))
}

func (r *javaRandom) nextInt(bound int32) int32 {
	rv := r.next(31)
	m := bound - 1
	if bound&m == 0 {
		return int32((int64(bound) * int64(rv)) >> 31)
	}
	for u := rv; ; u = r.next(31) {
		rv = u % bound
		if u-rv+m >= 0 {
			return rv
		}
	}
}
