package jsonata

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

var (
	fewWords     = []string{"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	ordinalWords = []string{"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"}
	decadeWords  = []string{"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"}
	magnitudes   = []string{"Thousand", "Million", "Billion", "Trillion"}
)

func numberToWords(num float64, prev, ord bool) string {
	var words string
	switch {
	case num <= 19:
		if prev {
			words = " and "
		}
		if ord {
			words += ordinalWords[int(num)]
		} else {
			words += fewWords[int(num)]
		}
	case num < 100:
		tens := int(num / 10)
		rem := math.Mod(num, 10)
		if prev {
			words = " and "
		}
		words += decadeWords[tens-2]
		if rem > 0 {
			words += "-" + numberToWords(rem, false, ord)
		} else if ord {
			words = words[:len(words)-1] + "ieth"
		}
	case num < 1000:
		hundreds := int(num / 100)
		rem := math.Mod(num, 100)
		if prev {
			words = ", "
		}
		words += fewWords[hundreds] + " Hundred"
		if rem > 0 {
			words += numberToWords(rem, true, ord)
		} else if ord {
			words += "th"
		}
	default:
		mag := int(math.Floor(math.Log10(num) / 3))
		if mag > len(magnitudes) {
			mag = len(magnitudes)
		}
		factor := math.Pow(10, float64(mag*3))
		mant := math.Floor(num / factor)
		rem := num - mant*factor
		if prev {
			words = ", "
		}
		words += numberToWords(mant, false, false) + " " + magnitudes[mag-1]
		if rem > 0 {
			words += numberToWords(rem, true, ord)
		} else if ord {
			words += "th"
		}
	}
	return words
}

var romanNumerals = []struct {
	v float64
	s string
}{{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}}

func decimalToRoman(v float64) string {
	var b strings.Builder
	for v >= 1 {
		for _, n := range romanNumerals {
			if v >= n.v {
				b.WriteString(n.s)
				v -= n.v
				break
			}
		}
		if b.Len() > MaxSize {
			break
		}
	}
	return b.String()
}

func romanToDecimal(s string) float64 {
	values := map[byte]float64{'M': 1000, 'D': 500, 'C': 100, 'L': 50, 'X': 10, 'V': 5, 'I': 1}
	dec, maxV := 0.0, 1.0
	for i := len(s) - 1; i >= 0; i-- {
		v := values[s[i]]
		if v < maxV {
			dec -= v
		} else {
			maxV = v
			dec += v
		}
	}
	return dec
}

func decimalToLetters(v float64, a rune) string {
	var letters []rune
	for v > 0 && len(letters) < 1000 {
		letters = append([]rune{rune(math.Mod(v-1, 26)) + a}, letters...)
		v = math.Floor((v - 1) / 26)
	}
	return string(letters)
}

func lettersToDecimal(s string, a rune) float64 {
	dec := 0.0
	rs := []rune(s)
	for i := range rs {
		dec += float64(rs[len(rs)-i-1]-a+1) * math.Pow(26, float64(i))
	}
	return dec
}

type groupSep struct {
	position int
	char     string
}

type intFormat struct {
	primary    string // decimal, letters, roman, words, sequence
	tcase      string // upper, lower, title
	ordinal    bool
	zeroCode   rune
	mandatory  int
	optional   int
	regular    bool
	regularSep groupSep
	seps       []groupSep
	token      string
	n          int
}

var wordSplitRe = regexp.MustCompile(`,\s|\sand\s|[\s\\-]`)

var decimalGroups = []rune{0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10}

func analyseIntegerPicture(picture string) (*intFormat, error) {
	f := &intFormat{primary: "decimal", tcase: "lower"}
	primary := picture
	if i := strings.LastIndex(picture, ";"); i >= 0 {
		primary = picture[:i]
		if strings.HasPrefix(picture[i+1:], "o") {
			f.ordinal = true
		}
	}
	switch primary {
	case "A":
		f.tcase, f.primary = "upper", "letters"
	case "a":
		f.primary = "letters"
	case "I":
		f.tcase, f.primary = "upper", "roman"
	case "i":
		f.primary = "roman"
	case "W":
		f.tcase, f.primary = "upper", "words"
	case "Ww":
		f.tcase, f.primary = "title", "words"
	case "w":
		f.primary = "words"
	default:
		return f, analyseDecimal(f, primary)
	}
	return f, nil
}

func analyseDecimal(f *intFormat, primary string) error {
	var zero rune = -1
	sepPos := 0
	rs := []rune(primary)
	var seps []groupSep
	for i := len(rs) - 1; i >= 0; i-- {
		c := rs[i]
		digit := false
		for _, g := range decimalGroups {
			if c >= g && c <= g+9 {
				digit = true
				f.mandatory++
				sepPos++
				if zero == -1 {
					zero = g
				} else if g != zero {
					return newErr("D3131")
				}
				break
			}
		}
		if digit {
			continue
		}
		if c == '#' {
			sepPos++
			f.optional++
		} else {
			seps = append(seps, groupSep{position: sepPos, char: string(c)})
		}
	}
	if f.mandatory == 0 {
		f.primary, f.token = "sequence", primary
		return nil
	}
	f.zeroCode = zero
	if r := regularRepeat(seps); r > 0 {
		f.regular = true
		f.regularSep = groupSep{position: r, char: seps[0].char}
	} else {
		f.seps = seps
	}
	return nil
}

func regularRepeat(seps []groupSep) int {
	if len(seps) == 0 {
		return 0
	}
	for _, s := range seps[1:] {
		if s.char != seps[0].char {
			return 0
		}
	}
	gcd := func(a, b int) int {
		for b != 0 {
			a, b = b, a%b
		}
		return a
	}
	factor := seps[0].position
	for _, s := range seps[1:] {
		factor = gcd(factor, s.position)
	}
	if factor == 0 {
		return 0
	}
	for i := 1; i <= len(seps); i++ {
		found := false
		for _, s := range seps {
			if s.position == i*factor {
				found = true
				break
			}
		}
		if !found {
			return 0
		}
	}
	return factor
}

func insertAt(rs []rune, pos int, s string) []rune {
	if pos < 0 {
		pos = 0
	}
	if pos > len(rs) {
		pos = len(rs)
	}
	out := make([]rune, 0, len(rs)+len(s))
	out = append(out, rs[:pos]...)
	out = append(out, []rune(s)...)
	return append(out, rs[pos:]...)
}

func formatIntegerWith(value float64, f *intFormat) (string, error) {
	neg := value < 0
	value = math.Abs(value)
	var out string
	switch f.primary {
	case "letters":
		a := 'a'
		if f.tcase == "upper" {
			a = 'A'
		}
		out = decimalToLetters(value, a)
	case "roman":
		if value > 1e6 {
			return "", errMsg("U1003", "number too large for roman numerals")
		}
		out = decimalToRoman(value)
		if f.tcase == "upper" {
			out = strings.ToUpper(out)
		}
	case "words":
		out = numberToWords(value, false, f.ordinal)
		switch f.tcase {
		case "upper":
			out = strings.ToUpper(out)
		case "lower":
			out = strings.ToLower(out)
		}
	case "decimal":
		out = formatDecimalInt(value, f)
	case "sequence":
		return "", errVal("D3130", f.token)
	}
	if neg {
		out = "-" + out
	}
	return out, nil
}

func formatDecimalInt(value float64, f *intFormat) string {
	s := FormatNumber(value)
	if pad := f.mandatory - len(s); pad > 0 {
		s = strings.Repeat("0", min(pad, MaxSize)) + s
	}
	rs := []rune(s)
	if f.zeroCode != 0x30 {
		for i, r := range rs {
			rs[i] = r + f.zeroCode - 0x30
		}
	}
	if f.regular {
		n := (len(rs) - 1) / f.regularSep.position
		for ii := n; ii > 0; ii-- {
			rs = insertAt(rs, len(rs)-ii*f.regularSep.position, f.regularSep.char)
		}
	} else {
		for i := len(f.seps) - 1; i >= 0; i-- {
			rs = insertAt(rs, len(rs)-f.seps[i].position, f.seps[i].char)
		}
	}
	out := string(rs)
	if f.ordinal && len(rs) > 0 {
		suffix := "th"
		switch rs[len(rs)-1] {
		case '1':
			suffix = "st"
		case '2':
			suffix = "nd"
		case '3':
			suffix = "rd"
		}
		if len(rs) > 1 && rs[len(rs)-2] == '1' {
			suffix = "th"
		}
		out += suffix
	}
	return out
}

func fnFormatInteger(_ *evaluator, args []any, _ *callCtx) (any, error) {
	v, ok := args[0].(float64)
	if !ok {
		return Undefined, nil
	}
	picture, _ := args[1].(string)
	f, err := analyseIntegerPicture(picture)
	if err != nil {
		return nil, err
	}
	return formatIntegerWith(math.Floor(v), f)
}

// integerMatcher is generateRegex for an integer format: a regexp fragment
// and a parser for what it matched.
type integerMatcher struct {
	regex string
	parse func(string) float64
}

func wordValue(w string) (float64, bool) {
	for i, s := range fewWords {
		if strings.ToLower(s) == w {
			return float64(i), true
		}
	}
	for i, s := range ordinalWords {
		if strings.ToLower(s) == w {
			return float64(i), true
		}
	}
	for i, s := range decadeWords {
		l := strings.ToLower(s)
		if l == w || l[:len(l)-1]+"ieth" == w {
			return float64((i + 2) * 10), true
		}
	}
	if w == "hundredth" {
		return 100, true
	}
	for i, s := range magnitudes {
		l := strings.ToLower(s)
		if l == w || l+"th" == w {
			return math.Pow(10, float64((i+1)*3)), true
		}
	}
	return 0, false
}

func wordsToNumber(text string) float64 {
	parts := wordSplitRe.Split(text, -1)
	segs := []float64{0}
	for _, p := range parts {
		v, ok := wordValue(p)
		if !ok {
			v = math.NaN()
		}
		if v < 100 || math.IsNaN(v) {
			top := segs[len(segs)-1]
			segs = segs[:len(segs)-1]
			if top >= 1000 {
				segs = append(segs, top)
				top = 0
			}
			segs = append(segs, top+v)
		} else {
			segs[len(segs)-1] *= v
		}
	}
	total := 0.0
	for _, s := range segs {
		total += s
	}
	return total
}

func integerRegex(f *intFormat) (*integerMatcher, error) {
	upper := f.tcase == "upper"
	occurrences := "+"
	if f.n > 0 {
		if f.optional == 0 {
			occurrences = "{" + strconv.Itoa(f.n) + "}"
		} else {
			occurrences = "{" + strconv.Itoa(max(0, f.n-f.optional)) + "," + strconv.Itoa(f.n) + "}"
		}
	}
	switch f.primary {
	case "letters":
		a, re := 'a', "[a-z]+"
		if upper {
			a, re = 'A', "[A-Z]+"
		}
		return &integerMatcher{regex: re, parse: func(s string) float64 { return lettersToDecimal(s, a) }}, nil
	case "roman":
		re := "[mdclxvi]+"
		if upper {
			re = "[MDCLXVI]+"
		}
		return &integerMatcher{regex: re, parse: func(s string) float64 { return romanToDecimal(strings.ToUpper(s)) }}, nil
	case "words":
		return &integerMatcher{regex: wordsRegex(), parse: func(s string) float64 { return wordsToNumber(strings.ToLower(s)) }}, nil
	case "decimal":
		re := "[0-9]" + occurrences
		if f.ordinal {
			re += "(?:th|st|nd|rd)"
		}
		return &integerMatcher{regex: re, parse: func(s string) float64 {
			digits := s
			if f.ordinal && len(digits) >= 2 {
				digits = digits[:len(digits)-2]
			}
			if f.regular {
				digits = strings.ReplaceAll(digits, ",", "")
			} else {
				for _, sep := range f.seps {
					digits = strings.ReplaceAll(digits, sep.char, "")
				}
			}
			if f.zeroCode != 0x30 {
				rs := []rune(digits)
				for i, r := range rs {
					rs[i] = r - f.zeroCode + 0x30
				}
				digits = string(rs)
			}
			i := 0
			for i < len(digits) && digits[i] >= '0' && digits[i] <= '9' {
				i++
			}
			n, err := strconv.ParseFloat(digits[:i], 64)
			if err != nil {
				return math.NaN()
			}
			return n
		}}, nil
	}
	return nil, errVal("D3130", f.token)
}

func wordsRegex() string {
	var words []string
	for _, w := range fewWords {
		words = append(words, strings.ToLower(w))
	}
	for _, w := range ordinalWords {
		words = append(words, strings.ToLower(w))
	}
	for _, w := range decadeWords {
		l := strings.ToLower(w)
		words = append(words, l, l[:len(l)-1]+"ieth")
	}
	words = append(words, "hundredth")
	for _, w := range magnitudes {
		l := strings.ToLower(w)
		words = append(words, l, l+"th")
	}
	words = append(words, "and", `[\-, ]`)
	return "(?:" + strings.Join(words, "|") + ")+"
}

func fnParseInteger(_ *evaluator, args []any, _ *callCtx) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return Undefined, nil
	}
	picture, _ := args[1].(string)
	f, err := analyseIntegerPicture(picture)
	if err != nil {
		return nil, err
	}
	m, err := integerRegex(f)
	if err != nil {
		return nil, err
	}
	return m.parse(s), nil
}
