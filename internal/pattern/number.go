package pattern

import (
	"math"
	"strconv"
)

// numKey returns the sort-preserving key of a decimal number literal: the
// float64 bits with the sign bit flipped for positives and all bits flipped
// for negatives, so that unsigned key order equals numeric order (event-ruler's
// ComparableNumber, Quamina's numbits). ok is false when the literal is not a
// number or cannot be represented exactly by the nearest float64 written in
// its shortest form; event-ruler then treats the number as plain text.
func numKey(text []byte) (key uint64, ok bool) {
	if !validNumber(text) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	var buf [32]byte
	short := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	if !sameDecimal(text, short) {
		return 0, false
	}
	return floatKey(f), true
}

// floatKey is the order-preserving transform of f's bits.
func floatKey(f float64) uint64 {
	bits := math.Float64bits(f)
	mask := uint64(int64(bits)>>63) | 1<<63
	return bits ^ mask
}

// keyFloat inverts floatKey.
func keyFloat(k uint64) float64 {
	if k&(1<<63) != 0 {
		return math.Float64frombits(k ^ 1<<63)
	}
	return math.Float64frombits(^k)
}

// validNumber reports whether b is a number: optional sign, digits, optional
// fraction and exponent (JSON syntax, also allowing a leading '+').
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		i++
	}
	n := 0
	for ; i < len(b) && isDigit(b[i]); i++ {
		n++
	}
	if i < len(b) && b[i] == '.' {
		i++
		for ; i < len(b) && isDigit(b[i]); i++ {
			n++
		}
	}
	if n == 0 {
		return false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			i++
		}
		m := 0
		for ; i < len(b) && isDigit(b[i]); i++ {
			m++
		}
		if m == 0 {
			return false
		}
	}
	return i == len(b)
}

// sameDecimal reports whether two valid number literals have the same value.
func sameDecimal(a, b []byte) bool {
	var bufA, bufB [64]byte
	digA, pointA, negA, okA := normalize(a, bufA[:0])
	digB, pointB, negB, okB := normalize(b, bufB[:0])
	if !okA || !okB {
		return false
	}
	if len(digA) == 0 || len(digB) == 0 {
		return len(digA) == len(digB)
	}
	return negA == negB && pointA == pointB && string(digA) == string(digB)
}

// normalize parses a valid number literal into its significant digits
// (without leading or trailing zeros) and the position of the decimal point:
// value = ±0.digits × 10^point. ok is false when it has more significant
// digits than buf holds, too many to be a float64's shortest form.
func normalize(b []byte, buf []byte) (digits []byte, point int, neg, ok bool) {
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	intDigits, zeros, afterPoint := 0, 0, false
	for ; i < len(b) && (isDigit(b[i]) || b[i] == '.'); i++ {
		c := b[i]
		switch {
		case c == '.':
			afterPoint = true
			continue
		case c == '0' && len(buf) == 0:
			if afterPoint {
				point--
			}
			continue
		case c == '0':
			zeros++
		default:
			if len(buf)+zeros+1 > cap(buf) {
				return nil, 0, false, false
			}
			for ; zeros > 0; zeros-- {
				buf = append(buf, '0')
			}
			buf = append(buf, c)
		}
		if !afterPoint {
			intDigits++
		}
	}
	exp := 0
	if i < len(b) {
		e, err := strconv.Atoi(string(b[i+1:]))
		if err != nil {
			return nil, 0, false, false
		}
		exp = e
	}
	return buf, point + intDigits + exp, neg, true
}
