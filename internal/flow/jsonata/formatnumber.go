package jsonata

import (
	"math"
	"strconv"
	"strings"
)

// numberPicture holds the properties of $formatNumber (XPath decimal format).
type numberPicture struct {
	decimal, grouping, exponent, minus, percent, permille, zero, digit, pattern string
	digits                                                                      []string
}

type subPicture struct {
	prefix, suffix, active, mantissa, integer, fractional, picture string
	exponent                                                       *string
}

type pictureVars struct {
	intGroups      []int
	regular        int
	minInt         int
	scaling        int
	prefix, suffix string
	fracGroups     []int
	minFrac        int
	maxFrac        int
	minExp         int
	picture        string
}

func (np *numberPicture) isDigit(c string) bool {
	for _, d := range np.digits {
		if d == c {
			return true
		}
	}
	return false
}

func (np *numberPicture) isActive(c string) bool {
	return np.isDigit(c) || c == np.decimal || c == np.exponent || c == np.grouping || c == np.digit || c == np.pattern
}

func chars(s string) []string {
	out := make([]string, 0, len(s))
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

func fnFormatNumber(_ *evaluator, args []any, _ *callCtx) (any, error) {
	value, ok := args[0].(float64)
	if !ok {
		return Undefined, nil
	}
	picture, _ := args[1].(string)
	np := &numberPicture{decimal: ".", grouping: ",", exponent: "e", minus: "-", percent: "%", permille: "\u2030", zero: "0", digit: "#", pattern: ";"}
	if o, ok := args[2].(*object); ok {
		for _, k := range o.keys {
			s, _ := o.m[k].(string)
			switch k {
			case "decimal-separator":
				np.decimal = s
			case "grouping-separator":
				np.grouping = s
			case "exponent-separator":
				np.exponent = s
			case "minus-sign":
				np.minus = s
			case "percent":
				np.percent = s
			case "per-mille":
				np.permille = s
			case "zero-digit":
				np.zero = s
			case "digit":
				np.digit = s
			case "pattern-separator":
				np.pattern = s
			}
		}
	}
	zr := []rune(np.zero)
	if len(zr) == 0 {
		zr = []rune{'0'}
	}
	for i := rune(0); i < 10; i++ {
		np.digits = append(np.digits, string(zr[0]+i))
	}
	return np.format(value, picture)
}

func (np *numberPicture) format(value float64, picture string) (string, error) {
	subs := []string{picture}
	if np.pattern != "" {
		subs = strings.Split(picture, np.pattern)
	}
	if len(subs) > 2 {
		return "", newErr("D3080")
	}
	var vars []*pictureVars
	for _, s := range subs {
		parts := np.split(s)
		if err := np.validate(parts); err != nil {
			return "", err
		}
		vars = append(vars, np.analyse(parts))
	}
	if len(vars) == 1 {
		neg := *vars[0]
		neg.prefix = np.minus + neg.prefix
		vars = append(vars, &neg)
	}
	pic := vars[0]
	if value < 0 {
		pic = vars[1]
	}
	adjusted := value
	if strings.Contains(pic.picture, np.percent) {
		adjusted = value * 100
	} else if strings.Contains(pic.picture, np.permille) {
		adjusted = value * 1000
	}
	mantissa := adjusted
	var exponent *int
	if pic.minExp != 0 {
		maxM := math.Pow(10, float64(pic.scaling))
		minM := math.Pow(10, float64(pic.scaling-1))
		e := 0
		for mantissa < minM && mantissa != 0 && e > -400 {
			mantissa *= 10
			e--
		}
		for mantissa > maxM && e < 400 {
			mantissa /= 10
			e++
		}
		exponent = &e
	}
	rounded := roundHalfEven(mantissa, float64(pic.maxFrac))
	s := np.toFixed(rounded, pic.maxFrac)
	if !strings.Contains(s, ".") {
		s += np.decimal
	} else {
		s = strings.Replace(s, ".", np.decimal, 1)
	}
	s = strings.TrimLeft(s, np.zero)
	for strings.HasSuffix(s, np.zero) {
		s = strings.TrimSuffix(s, np.zero)
	}
	rs := []rune(s)
	dpos := runeIndex(rs, np.decimal)
	if padL := pic.minInt - dpos; padL > 0 {
		rs = append([]rune(strings.Repeat(np.zero, padL)), rs...)
	}
	dpos = runeIndex(rs, np.decimal)
	if padR := pic.minFrac - (len(rs) - dpos - 1); padR > 0 {
		rs = append(rs, []rune(strings.Repeat(np.zero, padR))...)
	}
	dpos = runeIndex(rs, np.decimal)
	if pic.regular > 0 {
		groups := (dpos - 1) / pic.regular
		for g := 1; g <= groups; g++ {
			rs = insertAt(rs, dpos-g*pic.regular, np.grouping)
		}
	} else {
		for _, p := range pic.intGroups {
			rs = insertSlice(rs, dpos-p, np.grouping)
			dpos++
		}
	}
	dpos = runeIndex(rs, np.decimal)
	for _, p := range pic.fracGroups {
		rs = insertAt(rs, p+dpos+1, np.grouping)
	}
	dpos = runeIndex(rs, np.decimal)
	if !strings.Contains(pic.picture, np.decimal) || dpos == len(rs)-1 {
		rs = rs[:max(0, len(rs)-1)]
	}
	out := string(rs)
	if exponent != nil {
		es := np.toFixed(float64(*exponent), 0)
		if padL := pic.minExp - len([]rune(es)); padL > 0 {
			es = strings.Repeat(np.zero, padL) + es
		}
		sign := ""
		if *exponent < 0 {
			sign = np.minus
		}
		out += np.exponent + sign + es
	}
	return pic.prefix + out + pic.suffix, nil
}

func runeIndex(rs []rune, s string) int {
	sr := []rune(s)
	if len(sr) == 0 {
		return -1
	}
	for i := range rs {
		if rs[i] == sr[0] {
			return i
		}
	}
	return -1
}

// toFixed is Math.abs(v).toFixed(dp) with digits mapped to the zero digit.
func (np *numberPicture) toFixed(v float64, dp int) string {
	dp = min(dp, 100)
	s := strconv.FormatFloat(math.Abs(v), 'f', dp, 64)
	if math.Abs(v) >= 1e21 {
		s = FormatNumber(math.Abs(v))
	}
	if np.zero == "0" {
		return s
	}
	z := []rune(np.zero)[0]
	rs := []rune(s)
	for i, r := range rs {
		if r >= '0' && r <= '9' {
			rs[i] = z + (r - '0')
		}
	}
	return string(rs)
}

func (np *numberPicture) split(sub string) *subPicture {
	cs := chars(sub)
	p := &subPicture{picture: sub}
	prefixLen := len(cs)
	for i, c := range cs {
		if np.isActive(c) && c != np.exponent {
			prefixLen = i
			break
		}
	}
	suffixStart := 0
	found := false
	for i := len(cs) - 1; i >= 0; i-- {
		if np.isActive(cs[i]) && cs[i] != np.exponent {
			suffixStart = i + 1
			found = true
			break
		}
	}
	p.prefix = strings.Join(cs[:prefixLen], "")
	if found {
		p.suffix = strings.Join(cs[suffixStart:], "")
	} else {
		// jsonata-js: suffix undefined; the active part is then empty
		p.suffix = ""
		suffixStart = len(cs)
	}
	if prefixLen > suffixStart {
		prefixLen = suffixStart
	}
	p.active = strings.Join(cs[prefixLen:suffixStart], "")
	ecs := chars(p.active)
	expPos := -1
	if np.exponent != "" {
		// position of the exponent separator in the whole sub-picture, after the prefix
		for i := prefixLen; i < len(cs); i++ {
			if cs[i] == np.exponent {
				expPos = i
				break
			}
		}
	}
	if expPos == -1 || expPos > len(cs)-len(chars(p.suffix)) {
		p.mantissa = p.active
	} else {
		// jsonata-js slices the active part with the sub-picture offset
		m := min(expPos, len(ecs))
		p.mantissa = strings.Join(ecs[:m], "")
		e := strings.Join(ecs[min(expPos+1, len(ecs)):], "")
		p.exponent = &e
	}
	mcs := chars(p.mantissa)
	dec := -1
	for i, c := range mcs {
		if c == np.decimal {
			dec = i
			break
		}
	}
	if dec == -1 {
		p.integer = p.mantissa
		p.fractional = p.suffix
	} else {
		p.integer = strings.Join(mcs[:dec], "")
		p.fractional = strings.Join(mcs[dec+1:], "")
	}
	return p
}

func (np *numberPicture) validate(p *subPicture) error {
	var code string
	sub := p.picture
	if strings.Count(sub, np.decimal) > 1 {
		code = "D3081"
	}
	if strings.Count(sub, np.percent) > 1 {
		code = "D3082"
	}
	if strings.Count(sub, np.permille) > 1 {
		code = "D3083"
	}
	if strings.Contains(sub, np.percent) && strings.Contains(sub, np.permille) {
		code = "D3084"
	}
	valid := false
	for _, c := range chars(p.mantissa) {
		if np.isDigit(c) || c == np.digit {
			valid = true
			break
		}
	}
	if !valid {
		code = "D3085"
	}
	for _, c := range chars(p.active) {
		if !np.isActive(c) {
			code = "D3086"
			break
		}
	}
	cs := chars(sub)
	decPos := -1
	for i, c := range cs {
		if c == np.decimal {
			decPos = i
			break
		}
	}
	if decPos != -1 {
		if (decPos > 0 && cs[decPos-1] == np.grouping) || (decPos+1 < len(cs) && cs[decPos+1] == np.grouping) {
			code = "D3087"
		}
	} else if strings.HasSuffix(p.integer, np.grouping) && np.grouping != "" {
		code = "D3088"
	}
	if np.grouping != "" && strings.Contains(sub, np.grouping+np.grouping) {
		code = "D3089"
	}
	ics := chars(p.integer)
	for i, c := range ics {
		if c == np.digit {
			for _, d := range ics[:i] {
				if np.isDigit(d) {
					code = "D3090"
				}
			}
			break
		}
	}
	fcs := chars(p.fractional)
	for i := len(fcs) - 1; i >= 0; i-- {
		if fcs[i] == np.digit {
			for _, d := range fcs[i:] {
				if np.isDigit(d) {
					code = "D3091"
				}
			}
			break
		}
	}
	if p.exponent != nil {
		if *p.exponent != "" && (strings.Contains(sub, np.percent) || strings.Contains(sub, np.permille)) {
			code = "D3092"
		}
		bad := *p.exponent == ""
		for _, c := range chars(*p.exponent) {
			if !np.isDigit(c) {
				bad = true
			}
		}
		if bad {
			code = "D3093"
		}
	}
	if code != "" {
		return newErr(code)
	}
	return nil
}

func (np *numberPicture) groupPositions(part string, toLeft bool, integerPart string) []int {
	var out []int
	cs := chars(part)
	ics := chars(integerPart)
	pos := indexOf(cs, np.grouping, 0)
	for pos != -1 {
		var seg []string
		if toLeft {
			seg = cs[:pos]
		} else {
			seg = cs[pos:]
		}
		n := 0
		for _, c := range seg {
			if np.isDigit(c) || c == np.digit {
				n++
			}
		}
		out = append(out, n)
		// jsonata-js searches the integer part for the next separator
		pos = indexOf(ics, np.grouping, pos+1)
		if pos >= len(cs) {
			break
		}
	}
	return out
}

func indexOf(cs []string, s string, from int) int {
	if s == "" {
		return -1
	}
	for i := max(from, 0); i < len(cs); i++ {
		if cs[i] == s {
			return i
		}
	}
	return -1
}

func (np *numberPicture) analyse(p *subPicture) *pictureVars {
	v := &pictureVars{prefix: p.prefix, suffix: p.suffix, picture: p.picture}
	v.intGroups = np.groupPositions(p.integer, false, p.integer)
	v.regular = regularGrouping(v.intGroups)
	v.fracGroups = np.groupPositions(p.fractional, true, p.integer)
	for _, c := range chars(p.integer) {
		if np.isDigit(c) {
			v.minInt++
		}
	}
	v.scaling = v.minInt
	for _, c := range chars(p.fractional) {
		if np.isDigit(c) {
			v.minFrac++
		}
		if np.isDigit(c) || c == np.digit {
			v.maxFrac++
		}
	}
	hasExp := p.exponent != nil
	if v.minInt == 0 && v.maxFrac == 0 {
		if hasExp {
			v.minFrac, v.maxFrac = 1, 1
		} else {
			v.minInt = 1
		}
	}
	if hasExp && v.minInt == 0 && strings.Contains(p.integer, np.digit) {
		v.minInt = 1
	}
	if v.minInt == 0 && v.minFrac == 0 {
		v.minFrac = 1
	}
	if hasExp {
		for _, c := range chars(*p.exponent) {
			if np.isDigit(c) {
				v.minExp++
			}
		}
	}
	return v
}

func regularGrouping(idx []int) int {
	if len(idx) == 0 {
		return 0
	}
	gcd := func(a, b int) int {
		for b != 0 {
			a, b = b, a%b
		}
		return a
	}
	f := idx[0]
	for _, x := range idx[1:] {
		f = gcd(f, x)
	}
	if f == 0 {
		return 0
	}
	for i := 1; i <= len(idx); i++ {
		found := false
		for _, x := range idx {
			if x == i*f {
				found = true
			}
		}
		if !found {
			return 0
		}
	}
	return f
}

// insertSlice inserts s at pos with JavaScript slice semantics (a negative
// pos counts from the end).
func insertSlice(rs []rune, pos int, s string) []rune {
	if pos < 0 {
		pos = max(0, len(rs)+pos)
	}
	return insertAt(rs, pos, s)
}
