package pattern

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a JSON token, in the style of Jackson's JsonToken:
// object members are reported as a tokField followed by the member's value.
type tokKind uint8

const (
	tokEOF tokKind = iota
	tokObjStart
	tokObjEnd
	tokArrStart
	tokArrEnd
	tokField
	tokString
	tokNumber
	tokTrue
	tokFalse
	tokNull
)

// isScalar reports whether k is a string, number, true, false or null.
func (k tokKind) isScalar() bool { return k >= tokString }

// frame is one open container of the lexer.
type frame struct {
	object bool
	start  int // offset of the opening bracket
}

// lexer is a streaming JSON tokenizer. Its syntax errors carry Jackson's texts,
// because EventBridge reports Jackson's messages verbatim.
type lexer struct {
	src        []byte
	pos        int
	stack      []frame
	needComma  bool // a value was read in the current container
	afterField bool // a field name was read; its value comes next
	done       bool // the top-level value is complete
	text       []byte
	buf        []byte // decoded strings with escapes
}

func (lx *lexer) reset(src []byte) {
	lx.src, lx.pos, lx.stack = src, 0, lx.stack[:0]
	lx.needComma, lx.afterField, lx.done = false, false, false
	lx.text, lx.buf = nil, lx.buf[:0]
}

func (lx *lexer) skipSpace() {
	if lx.pos < len(lx.src) && lx.src[lx.pos] > ' ' {
		return
	}
	for lx.pos < len(lx.src) {
		switch lx.src[lx.pos] {
		case ' ', '\t', '\n', '\r':
			lx.pos++
		default:
			return
		}
	}
}

// next returns the next token; the token's text is in lx.text.
func (lx *lexer) next() (tokKind, error) {
	lx.skipSpace()
	if lx.afterField {
		return lx.afterName()
	}
	if len(lx.stack) == 0 {
		if lx.done || lx.pos >= len(lx.src) {
			return tokEOF, nil
		}
		return lx.value()
	}
	if lx.pos >= len(lx.src) {
		return tokEOF, lx.eofError()
	}
	if lx.stack[len(lx.stack)-1].object {
		return lx.inObject()
	}
	return lx.inArray()
}

func (lx *lexer) afterName() (tokKind, error) {
	if lx.pos >= len(lx.src) {
		return tokEOF, lx.eofError()
	}
	if lx.src[lx.pos] != ':' {
		return tokEOF, lx.unexpected("was expecting a colon to separate field name and value")
	}
	lx.pos++
	lx.afterField = false
	lx.skipSpace()
	return lx.value()
}

func (lx *lexer) inObject() (tokKind, error) {
	c := lx.src[lx.pos]
	if c == '}' { // a '}' after ',' is seen below, as a missing field name
		return lx.closeContainer(tokObjEnd)
	}
	if lx.needComma {
		if c != ',' {
			return tokEOF, lx.unexpected("was expecting comma to separate Object entries")
		}
		lx.pos++
		lx.needComma = false
		lx.skipSpace()
		if lx.pos >= len(lx.src) {
			return tokEOF, lx.eofError()
		}
		c = lx.src[lx.pos]
	}
	if c != '"' {
		return tokEOF, lx.unexpected("was expecting double-quote to start field name")
	}
	if err := lx.readString(); err != nil {
		return tokEOF, err
	}
	lx.afterField = true
	return tokField, nil
}

func (lx *lexer) inArray() (tokKind, error) {
	c := lx.src[lx.pos]
	if c == ']' {
		return lx.closeContainer(tokArrEnd)
	}
	if lx.needComma {
		if c != ',' {
			return tokEOF, lx.unexpected("was expecting comma to separate Array entries")
		}
		lx.pos++
		lx.skipSpace()
		if lx.pos >= len(lx.src) {
			return tokEOF, lx.eofError()
		}
		if lx.src[lx.pos] == ']' {
			return tokEOF, lx.unexpected("expected a value")
		}
	}
	return lx.value()
}

func (lx *lexer) closeContainer(k tokKind) (tokKind, error) {
	lx.pos++
	lx.stack = lx.stack[:len(lx.stack)-1]
	lx.valueDone()
	return k, nil
}

func (lx *lexer) valueDone() {
	if len(lx.stack) == 0 {
		lx.done = true
		return
	}
	lx.needComma = true
}

func (lx *lexer) value() (tokKind, error) {
	if lx.pos >= len(lx.src) {
		return tokEOF, lx.eofError()
	}
	switch c := lx.src[lx.pos]; {
	case c == '{' || c == '[':
		lx.stack = append(lx.stack, frame{object: c == '{', start: lx.pos})
		lx.pos++
		lx.needComma = false
		if c == '{' {
			return tokObjStart, nil
		}
		return tokArrStart, nil
	case c == '"':
		if err := lx.readString(); err != nil {
			return tokEOF, err
		}
		lx.valueDone()
		return tokString, nil
	case c == '-' || (c >= '0' && c <= '9'):
		if err := lx.readNumber(); err != nil {
			return tokEOF, err
		}
		lx.valueDone()
		return tokNumber, nil
	default:
		return lx.literal()
	}
}

func (lx *lexer) literal() (tokKind, error) {
	word, kind := "null", tokNull
	switch lx.src[lx.pos] {
	case 't':
		word, kind = "true", tokTrue
	case 'f':
		word, kind = "false", tokFalse
	}
	if hasWord(lx.src[lx.pos:], word) {
		lx.text = lx.src[lx.pos : lx.pos+len(word)]
		lx.pos += len(word)
		lx.valueDone()
		return kind, nil
	}
	r, _ := utf8.DecodeRune(lx.src[lx.pos:])
	if r == ']' || r == '}' || r == ',' {
		return tokEOF, lx.unexpected("expected a value")
	}
	if isJavaIdentStart(r) {
		return tokEOF, fail("Unrecognized token '" + lx.identRun() +
			"': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
	}
	return tokEOF, lx.unexpected("expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
}

// hasWord reports whether b starts with w not followed by an identifier character.
func hasWord(b []byte, w string) bool {
	if len(b) < len(w) || string(b[:len(w)]) != w {
		return false
	}
	if len(b) == len(w) {
		return true
	}
	r, _ := utf8.DecodeRune(b[len(w):])
	return !isJavaIdentPart(r)
}

func (lx *lexer) identRun() string {
	end := lx.pos
	for n := 0; end < len(lx.src) && n < 256; n++ {
		r, size := utf8.DecodeRune(lx.src[end:])
		if !isJavaIdentPart(r) {
			break
		}
		end += size
	}
	if end == lx.pos {
		_, size := utf8.DecodeRune(lx.src[end:])
		end += size
	}
	return string(lx.src[lx.pos:end])
}

func isJavaIdentStart(r rune) bool {
	return unicode.IsLetter(r) || r == '_' || r == '$' || unicode.Is(unicode.Sc, r)
}

func isJavaIdentPart(r rune) bool {
	return isJavaIdentStart(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func (lx *lexer) readNumber() error {
	start := lx.pos
	if lx.src[lx.pos] == '-' {
		lx.pos++
		if lx.pos >= len(lx.src) || !isDigit(lx.src[lx.pos]) {
			return lx.numberError("expected digit (0-9) to follow minus sign, for valid numeric value")
		}
	}
	if lx.src[lx.pos] == '0' && lx.pos+1 < len(lx.src) && isDigit(lx.src[lx.pos+1]) {
		return fail("Invalid numeric value: Leading zeroes not allowed")
	}
	lx.digits()
	if lx.pos < len(lx.src) && lx.src[lx.pos] == '.' {
		lx.pos++
		if lx.digits() == 0 {
			return lx.numberError("Decimal point not followed by a digit")
		}
	}
	if lx.pos < len(lx.src) && (lx.src[lx.pos] == 'e' || lx.src[lx.pos] == 'E') {
		lx.pos++
		if lx.pos < len(lx.src) && (lx.src[lx.pos] == '+' || lx.src[lx.pos] == '-') {
			lx.pos++
		}
		if lx.digits() == 0 {
			return lx.numberError("Exponent indicator not followed by a digit")
		}
	}
	lx.text = lx.src[start:lx.pos]
	return nil
}

func (lx *lexer) digits() int {
	n := 0
	for lx.pos < len(lx.src) && isDigit(lx.src[lx.pos]) {
		lx.pos++
		n++
	}
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (lx *lexer) numberError(what string) error {
	if lx.pos >= len(lx.src) {
		return fail("Unexpected end-of-input in numeric value")
	}
	return fail("Unexpected character (" + charDesc(lx.src[lx.pos:]) + ") in numeric value: " + what)
}

// charDesc renders the character at the start of b the way Jackson does.
func charDesc(b []byte) string {
	r, _ := utf8.DecodeRune(b)
	if r < 0x20 {
		return "(CTRL-CHAR, code " + strconv.Itoa(int(r)) + ")"
	}
	if r > 255 {
		return "'" + string(r) + "' (code " + strconv.Itoa(int(r)) + " / 0x" + strconv.FormatInt(int64(r), 16) + ")"
	}
	return "'" + string(r) + "' (code " + strconv.Itoa(int(r)) + ")"
}

func (lx *lexer) unexpected(what string) error {
	return fail("Unexpected character (" + charDesc(lx.src[lx.pos:]) + "): " + what)
}

func (lx *lexer) eofError() error {
	if len(lx.stack) == 0 {
		return fail("No content to map due to end-of-input")
	}
	f := lx.stack[len(lx.stack)-1]
	kind := "ARRAY"
	if f.object {
		kind = "OBJECT"
	}
	return fail("Unexpected end-of-input: expected close marker for " + kind +
		" (start marker at [Source: (String)\"" + string(lx.src) + "\"; line: " + lx.location(f.start) + "])")
}

// location renders an offset as Jackson's "L, column: C" (1-based).
func (lx *lexer) location(off int) string {
	line, col := 1, 1
	for _, c := range string(lx.src[:off]) {
		if c == '\n' {
			line, col = line+1, 1
			continue
		}
		col++
	}
	return strconv.Itoa(line) + ", column: " + strconv.Itoa(col)
}

// skipValue skips the value whose first token was k.
func (lx *lexer) skipValue(k tokKind) error {
	if k != tokObjStart && k != tokArrStart {
		return nil
	}
	depth := 1
	for depth > 0 {
		t, err := lx.next()
		if err != nil {
			return err
		}
		switch t {
		case tokObjStart, tokArrStart:
			depth++
		case tokObjEnd, tokArrEnd:
			depth--
		case tokEOF:
			return fail("Unexpected end-of-input")
		}
	}
	return nil
}
