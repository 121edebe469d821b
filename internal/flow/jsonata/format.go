package jsonata

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FormatNumber formats f as JavaScript's Number.prototype.toString does:
// the shortest round-trip digits, plain notation for exponents in
// [-7, 20], exponent notation ("1e+21", "1.5e-7") otherwise.
func FormatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	neg := f < 0
	if neg {
		f = -f
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±xx
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expS)
	digits := strings.Replace(mant, ".", "", 1)
	k := len(digits)
	n := exp + 1 // position of the decimal point
	var out string
	switch {
	case k <= n && n <= 21:
		out = digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		out = digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		out = "0." + strings.Repeat("0", -n) + digits
	default:
		e := n - 1
		sign := "+"
		if e < 0 {
			sign = "-"
			e = -e
		}
		out = digits[:1]
		if k > 1 {
			out += "." + digits[1:]
		}
		out += "e" + sign + strconv.Itoa(e)
	}
	if neg {
		return "-" + out
	}
	return out
}

// toPrecision15 is Number(x.toPrecision(15)).
func toPrecision15(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'e', 14, 64), 64)
	if err != nil {
		return f
	}
	return r
}

// writeJSON writes v as JSON.stringify would. In strMode ($string) numbers
// are rounded to 15 significant digits and functions print as "". indent is
// the indentation unit ("" for compact output).
func writeJSON(b *strings.Builder, v any, strMode bool, indent, cur string) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b.WriteString("null")
			return
		}
		if strMode {
			x = toPrecision15(x)
		}
		b.WriteString(FormatNumber(x))
	case string:
		writeJSONString(b, x)
	case *array:
		writeJSONArray(b, x, strMode, indent, cur)
	case *object:
		writeJSONObject(b, x, strMode, indent, cur)
	case tuple:
		o := newObject(len(x))
		for k, it := range x {
			o.set(k, it)
		}
		writeJSONObject(b, o, strMode, indent, cur)
	case callable:
		if strMode {
			b.WriteString(`""`)
		} else {
			b.WriteString("null")
		}
	default:
		b.WriteString("null")
	}
}

func writeJSONArray(b *strings.Builder, x *array, strMode bool, indent, cur string) {
	if len(x.items) == 0 {
		b.WriteString("[]")
		return
	}
	inner := cur + indent
	b.WriteByte('[')
	for i, it := range x.items {
		if i > 0 {
			b.WriteByte(',')
		}
		if indent != "" {
			b.WriteString("\n" + inner)
		}
		if isUndef(it) || (!strMode && isFunc(it)) {
			b.WriteString("null")
			continue
		}
		writeJSON(b, it, strMode, indent, inner)
	}
	if indent != "" {
		b.WriteString("\n" + cur)
	}
	b.WriteByte(']')
}

func writeJSONObject(b *strings.Builder, x *object, strMode bool, indent, cur string) {
	inner := cur + indent
	b.WriteByte('{')
	n := 0
	for _, k := range x.keys {
		it := x.m[k]
		if isUndef(it) || (!strMode && isFunc(it)) {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		if indent != "" {
			b.WriteString("\n" + inner)
		}
		writeJSONString(b, k)
		b.WriteByte(':')
		if indent != "" {
			b.WriteByte(' ')
		}
		writeJSON(b, it, strMode, indent, inner)
	}
	if n > 0 && indent != "" {
		b.WriteString("\n" + cur)
	}
	b.WriteByte('}')
}

func writeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '"':
				b.WriteString(`\"`)
			case '\\':
				b.WriteString(`\\`)
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				if c < 0x20 {
					b.WriteString(`\u00`)
					b.WriteByte(hex[c>>4])
					b.WriteByte(hex[c&0xf])
				} else {
					b.WriteByte(c)
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(`\ufffd`)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}
