package jsonata

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

func fnBase64Encode(s string) (any, error) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		for _, u := range utf16.Encode([]rune{r}) {
			b = append(b, byte(u))
		}
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

func fnBase64Decode(s string) (any, error) {
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		case c == '-':
			clean = append(clean, '+')
		case c == '_':
			clean = append(clean, '/')
		case c == '=':
			i = len(s)
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	raw, _ := base64.RawStdEncoding.DecodeString(string(clean)) // lenient, as Node's Buffer
	rs := make([]rune, len(raw))
	for i, c := range raw {
		rs[i] = rune(c)
	}
	return string(rs), nil
}

const uriUnreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()"

func encodeURI(s, keep, fname string) (any, error) {
	if !utf8.ValidString(s) {
		return nil, &Error{Code: "D3140", Position: -1, value: s, extra: map[string]any{"functionName": fname}}
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf && strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String(), nil
}

func decodeURI(s, reserved, fname string) (any, error) {
	fail := &Error{Code: "D3140", Position: -1, value: s, extra: map[string]any{"functionName": fname}}
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			out = append(out, s[i])
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1:i+3]) {
			return nil, fail
		}
		v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
		c := byte(v)
		if c < utf8.RuneSelf {
			if strings.IndexByte(reserved, c) >= 0 {
				out = append(out, s[i:i+3]...)
			} else {
				out = append(out, c)
			}
			i += 2
			continue
		}
		// a multi-byte UTF-8 sequence must be complete and valid
		n := 0
		switch {
		case c&0xE0 == 0xC0:
			n = 2
		case c&0xF0 == 0xE0:
			n = 3
		case c&0xF8 == 0xF0:
			n = 4
		default:
			return nil, fail
		}
		seq := []byte{c}
		j := i + 3
		for k := 1; k < n; k++ {
			if j+2 >= len(s) || s[j] != '%' || !isHex(s[j+1:j+3]) {
				return nil, fail
			}
			v, _ := strconv.ParseUint(s[j+1:j+3], 16, 8)
			seq = append(seq, byte(v))
			j += 3
		}
		if !utf8.Valid(seq) {
			return nil, fail
		}
		out = append(out, seq...)
		i = j - 1
	}
	return string(out), nil
}
