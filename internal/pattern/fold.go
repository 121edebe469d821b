package pattern

import (
	"unicode"
	"unicode/utf8"
)

// Case-insensitive matching follows event-ruler: each character of the
// pattern matches exactly its lower-case or its upper-case form (Java's
// String.toLowerCase/toUpperCase with Locale.ROOT), not Unicode case folding.
// Two special casings with a multi-character result are included; others are
// treated with simple case mapping.

func lowerForm(r rune) string {
	if r == 'İ' {
		return "i̇"
	}
	return string(unicode.ToLower(r))
}

func upperForm(r rune) string {
	if r == 'ß' {
		return "SS"
	}
	return string(unicode.ToUpper(r))
}

// foldAt reports whether v[i:] starts with lower or upper form of r; it returns
// the length consumed.
func foldAt(v []byte, r rune) (int, bool) {
	if r < utf8.RuneSelf {
		if len(v) == 0 {
			return 0, false
		}
		c := v[0]
		lo, up := byte(unicode.ToLower(r)), byte(unicode.ToUpper(r))
		return 1, c == lo || c == up
	}
	for _, f := range [2]string{lowerForm(r), upperForm(r)} {
		if len(v) >= len(f) && string(v[:len(f)]) == f {
			return len(f), true
		}
	}
	return 0, false
}

// foldPrefixLen matches pattern p at the start of v, returning the number of
// bytes of v consumed.
func foldPrefixLen(v []byte, p string) (int, bool) {
	n := 0
	for _, r := range p {
		k, ok := foldAt(v[n:], r)
		if !ok {
			return 0, false
		}
		n += k
	}
	return n, true
}

func foldEqual(v []byte, p string) bool {
	n, ok := foldPrefixLen(v, p)
	return ok && n == len(v)
}

func foldPrefix(v []byte, p string) bool {
	_, ok := foldPrefixLen(v, p)
	return ok
}

// foldSuffix matches pattern p at the end of v, character by character from
// the end.
func foldSuffix(v []byte, p string) bool {
	end := len(v)
	for len(p) > 0 {
		r, size := utf8.DecodeLastRuneInString(p)
		p = p[:len(p)-size]
		matched := false
		for _, f := range [2]string{lowerForm(r), upperForm(r)} {
			if end >= len(f) && string(v[end-len(f):end]) == f {
				end -= len(f)
				matched = true
				break
			}
		}
		if !matched {
			return false
		}
	}
	return true
}

// canonRune maps a character to the canonical form used to index
// case-insensitive patterns.
func canonRune(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }

// appendCanon appends the canonical form of v to dst.
func appendCanon(dst, v []byte) []byte {
	for i := 0; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(v[i:])
		dst = utf8.AppendRune(dst, canonRune(r))
		i += size
	}
	return dst
}

// canonSafe reports whether indexing p by its canonical form finds every value
// that matches it: each of its characters' lower and upper forms must be a
// single character with the same canonical form.
func canonSafe(p string) bool {
	for _, r := range p {
		lo, up := lowerForm(r), upperForm(r)
		if utf8.RuneCountInString(lo) != 1 || utf8.RuneCountInString(up) != 1 {
			return false
		}
		l, _ := utf8.DecodeRuneInString(lo)
		u, _ := utf8.DecodeRuneInString(up)
		if canonRune(l) != canonRune(r) || canonRune(u) != canonRune(r) {
			return false
		}
	}
	return true
}
