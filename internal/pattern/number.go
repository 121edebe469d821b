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

// decimal is a normalised decimal: value = sign 0.digits × 10^point.
type decimal struct {
	neg    bool
	digits []byte
	point  int
}

// sameDecimal reports whether two valid number literals have the same value.
func sameDecimal(a, b []byte) bool {
	var da, db decimal
	var bufA, bufB [64]byte
	if !normalize(a, bufA[:0], &da) || !normalize(b, bufB[:0], &db) {
		return false
	}
	if len(da.digits) == 0 || len(db.digits) == 0 {
		return len(da.digits) == len(db.digits)
	}
	return da.neg == db.neg && da.point == db.point && string(da.digits) == string(db.digits)
}

// normalize parses a valid number literal; false when it has too many
// significant digits to be a float64's shortest form.
func normalize(b []byte, buf []byte, d *decimal) bool {
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		d.neg = b[i] == '-'
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
				d.point--
			}
			continue
		case c == '0':
			zeros++
		default:
			if len(buf)+zeros+1 > cap(buf) {
				return false
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
			return false
		}
		exp = e
	}
	d.digits = buf
	d.point += intDigits + exp
	return true
}
