package pattern

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// strSpecial marks the bytes that end the fast scan of a string.
var strSpecial = [256]bool{
	'"': true, '\\': true,
	0: true, 1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true,
	11: true, 12: true, 13: true, 14: true, 15: true, 16: true, 17: true, 18: true, 19: true, 20: true,
	21: true, 22: true, 23: true, 24: true, 25: true, 26: true, 27: true, 28: true, 29: true, 30: true, 31: true,
}

// readString reads the string starting at lx.pos (a double quote).
func (lx *lexer) readString() error {
	lx.pos++
	start := lx.pos
	src := lx.src
	for i := lx.pos; i < len(src); i++ {
		c := src[i]
		if !strSpecial[c] {
			continue
		}
		if c == '"' {
			lx.text = lx.src[start:i]
			lx.pos = i + 1
			return nil
		}
		if c == '\\' {
			lx.pos = i
			return lx.readEscaped(start)
		}
		if c < 0x20 {
			lx.pos = i
			return lx.ctrlError(c)
		}
	}
	lx.pos = len(lx.src)
	return fail("Unexpected end-of-input: was expecting closing quote for a string value")
}

func (lx *lexer) ctrlError(c byte) error {
	return fail("Illegal unquoted character ((CTRL-CHAR, code " + strconv.Itoa(int(c)) +
		")): has to be escaped using backslash to be included in string value")
}

// readEscaped continues a string at the first backslash, decoding into lx.buf.
func (lx *lexer) readEscaped(start int) error {
	from := len(lx.buf)
	lx.buf = append(lx.buf, lx.src[start:lx.pos]...)
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '"':
			lx.pos++
			lx.text = lx.buf[from:len(lx.buf):len(lx.buf)]
			return nil
		case c == '\\':
			if err := lx.escape(); err != nil {
				return err
			}
		case c < 0x20:
			return lx.ctrlError(c)
		default:
			lx.buf = append(lx.buf, c)
			lx.pos++
		}
	}
	return fail("Unexpected end-of-input: was expecting closing quote for a string value")
}

func (lx *lexer) escape() error {
	lx.pos++
	if lx.pos >= len(lx.src) {
		return fail("Unexpected end-of-input in character escape sequence")
	}
	c := lx.src[lx.pos]
	lx.pos++
	switch c {
	case '"', '\\', '/':
		lx.buf = append(lx.buf, c)
	case 'b':
		lx.buf = append(lx.buf, '\b')
	case 'f':
		lx.buf = append(lx.buf, '\f')
	case 'n':
		lx.buf = append(lx.buf, '\n')
	case 'r':
		lx.buf = append(lx.buf, '\r')
	case 't':
		lx.buf = append(lx.buf, '\t')
	case 'u':
		return lx.unicodeEscape()
	default:
		lx.pos--
		return fail("Unrecognized character escape " + charDesc(lx.src[lx.pos:]))
	}
	return nil
}

func (lx *lexer) hex4() (rune, error) {
	var r rune
	for range 4 {
		if lx.pos >= len(lx.src) {
			return 0, fail("Unexpected end-of-input in character escape sequence")
		}
		c := lx.src[lx.pos]
		v, ok := hexVal(c)
		if !ok {
			return 0, fail("Unexpected character (" + charDesc(lx.src[lx.pos:]) +
				"): expected a hex-digit for character escape sequence")
		}
		r = r<<4 | rune(v)
		lx.pos++
	}
	return r, nil
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func (lx *lexer) unicodeEscape() error {
	r, err := lx.hex4()
	if err != nil {
		return err
	}
	if utf16.IsSurrogate(r) && r < 0xDC00 && lx.pos+1 < len(lx.src) &&
		lx.src[lx.pos] == '\\' && lx.src[lx.pos+1] == 'u' {
		save := lx.pos
		lx.pos += 2
		r2, err := lx.hex4()
		if err != nil {
			return err
		}
		if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
			lx.buf = utf8.AppendRune(lx.buf, d)
			return nil
		}
		lx.pos = save
	}
	lx.buf = utf8.AppendRune(lx.buf, r)
	return nil
}

// skipFast skips the rest of the container whose opening token k was just
// read (used for the parts of an event no pattern looks at). It checks the
// JSON grammar with a tight loop instead of producing tokens; numbers are
// only checked to be made of number characters. Containers nested deeper
// than 64 levels are skipped by skipValue.
func (lx *lexer) skipFast(k tokKind) error {
	if k != tokObjStart && k != tokArrStart {
		return nil
	}
	sk := skipper{src: lx.src, i: lx.pos, obj: k == tokObjStart}
	if k == tokObjStart {
		sk.stack = 1
	}
	sk.state = sk.afterOpen()
	if err := sk.run(); err != nil {
		if errors.Is(err, errTooDeep) {
			return lx.skipValue(k)
		}
		lx.pos = sk.i
		return err
	}
	lx.pos = sk.i
	lx.stack = lx.stack[:len(lx.stack)-1]
	lx.valueDone()
	return nil
}

var errTooDeep = fail("nested too deeply for skipFast")

type skipState uint8

const (
	wantValue      skipState = iota // a value
	wantKeyOrEnd                    // a key or '}' (after '{')
	wantKey                         // a key (after ',' in an object)
	wantColon                       // ':' after a key
	wantCommaOrEnd                  // ',' or the closing bracket
	wantValueOrEnd                  // a value or ']' (after '[')
)

type skipper struct {
	src   []byte
	i     int
	stack uint64 // bit d set: level d is an object
	depth int
	obj   bool
	state skipState
}

func (sk *skipper) afterOpen() skipState {
	if sk.obj {
		return wantKeyOrEnd
	}
	return wantValueOrEnd
}

func (sk *skipper) run() error {
	for ; sk.i < len(sk.src); sk.i++ {
		c := sk.src[sk.i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			continue
		}
		done, err := sk.step(c)
		if err != nil || done {
			return err
		}
	}
	return fail("Unexpected end-of-input in skipped value")
}

func (sk *skipper) step(c byte) (bool, error) {
	switch sk.state {
	case wantKeyOrEnd, wantKey:
		if c == '}' && sk.state == wantKeyOrEnd {
			return sk.close(c)
		}
		if c != '"' {
			return false, fail("Unexpected character: was expecting double-quote to start field name")
		}
		sk.state = wantColon
		return false, sk.str()
	case wantColon:
		if c != ':' {
			return false, fail("Unexpected character: was expecting a colon to separate field name and value")
		}
		sk.state = wantValue
		return false, nil
	case wantCommaOrEnd:
		if c == ',' {
			sk.state = wantValue
			if sk.stack>>sk.depth&1 == 1 {
				sk.state = wantKey
			}
			return false, nil
		}
		return sk.close(c)
	case wantValueOrEnd:
		if c == ']' {
			return sk.close(c)
		}
	}
	return false, sk.value(c)
}

func (sk *skipper) close(c byte) (bool, error) {
	isObj := sk.stack>>sk.depth&1 == 1
	if (c == '}') != isObj || (c != '}' && c != ']') {
		return false, fail("Unexpected character: was expecting comma or close marker")
	}
	if sk.depth == 0 {
		sk.i++
		return true, nil
	}
	sk.depth--
	sk.state = wantCommaOrEnd
	return false, nil
}

func (sk *skipper) value(c byte) error {
	sk.state = wantCommaOrEnd
	switch {
	case c == '"':
		return sk.str()
	case c == '{' || c == '[':
		if sk.depth++; sk.depth >= 64 {
			return errTooDeep
		}
		sk.stack = sk.stack&^(1<<sk.depth) | boolBit(c == '{')<<sk.depth
		sk.state = wantValueOrEnd
		if c == '{' {
			sk.state = wantKeyOrEnd
		}
		return nil
	case c == '-' || isDigit(c):
		n, ok := jsonNumberLen(sk.src[sk.i:])
		if !ok {
			return fail("Invalid numeric value")
		}
		sk.i += n - 1
		return nil
	}
	for _, w := range [...]string{"true", "false", "null"} {
		if hasWord(sk.src[sk.i:], w) {
			sk.i += len(w) - 1
			return nil
		}
	}
	return fail("Unexpected character: expected a value")
}

// jsonNumberLen returns the length of the JSON number at the start of b.
func jsonNumberLen(b []byte) (int, bool) {
	i := 0
	if b[0] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && isDigit(b[i]):
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	default:
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || !isDigit(b[i]) {
			return 0, false
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return 0, false
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && isDigit(b[i]) {
		return 0, false // a leading zero followed by digits
	}
	return i, true
}

// str skips the string whose opening quote is at sk.i.
func (sk *skipper) str() error {
	end, ok := skipString(sk.src, sk.i+1)
	if !ok {
		return fail("Unexpected end-of-input: was expecting closing quote for a string value")
	}
	sk.i = end
	return nil
}

func boolBit(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// skipString returns the index of the closing quote of the string whose
// content starts at i.
func skipString(src []byte, i int) (int, bool) {
	for ; i < len(src); i++ {
		c := src[i]
		if !strSpecial[c] {
			continue
		}
		switch {
		case c == '"':
			return i, true
		case c == '\\':
			if i+1 >= len(src) || !validEscape(src[i+1:]) {
				return i, false
			}
			i++
		default:
			return i, false
		}
	}
	return i, false
}

// validEscape reports whether b starts a valid escape (after the backslash).
func validEscape(b []byte) bool {
	switch b[0] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return true
	case 'u':
		if len(b) < 5 {
			return false
		}
		for _, c := range b[1:5] {
			if _, ok := hexVal(c); !ok {
				return false
			}
		}
		return true
	}
	return false
}
