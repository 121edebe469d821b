package jsonata

import (
	"math"
	"regexp"
	"strings"
	"time"
)

type partMatcher struct {
	regex     string
	component byte
	parse     func(string) (float64, bool)
}

func pictureMatchers(parts []*picturePart) ([]*partMatcher, error) {
	out := make([]*partMatcher, 0, len(parts))
	for _, p := range parts {
		m := &partMatcher{component: p.component}
		switch {
		case !p.isMarker:
			m.regex = regexp.QuoteMeta(p.literal)
			m.component = 0
		case p.component == 'Z' || p.component == 'z':
			m.regex, m.parse = zoneMatcher(p)
		case p.integerFormat != nil:
			p.integerFormat.n = p.n
			im, err := integerRegex(p.integerFormat)
			if err != nil {
				return nil, err
			}
			m.regex = im.regex
			m.parse = func(s string) (float64, bool) { return im.parse(s), true }
		default:
			lookup, err := nameLookup(p)
			if err != nil {
				return nil, err
			}
			m.regex = "[a-zA-Z]+"
			m.parse = func(s string) (float64, bool) {
				v, ok := lookup[s]
				return v, ok
			}
		}
		out = append(out, m)
	}
	return out, nil
}

func zoneMatcher(p *picturePart) (string, func(string) (float64, bool)) {
	sep := ""
	if p.integerFormat.regular {
		sep = p.integerFormat.regularSep.char
	}
	re := ""
	if p.component == 'z' {
		re = "GMT"
	}
	re += "[-+][0-9]+"
	if sep != "" {
		re += regexp.QuoteMeta(sep) + "[0-9]+"
	}
	return re, func(v string) (float64, bool) {
		if p.component == 'z' && len(v) >= 3 {
			v = v[3:]
		}
		var h, m float64
		if sep != "" {
			i := strings.Index(v, sep)
			h, m = jsParseInt(v[:i]), jsParseInt(v[i+len(sep):])
		} else if len(v)-1 <= 2 {
			h = jsParseInt(v)
		} else {
			h, m = jsParseInt(v[:3]), jsParseInt(v[3:])
		}
		return h*60 + m, true
	}
}

func nameLookup(p *picturePart) (map[string]float64, error) {
	lookup := map[string]float64{}
	trunc := func(s string) string {
		if p.width != nil && p.width.hasMax && p.width.max > 0 && len(s) > p.width.max {
			return s[:p.width.max]
		}
		return s
	}
	switch p.component {
	case 'M', 'x':
		for i, n := range monthNames {
			lookup[trunc(n)] = float64(i + 1)
		}
	case 'F':
		for i, n := range dayNames[1:] {
			lookup[trunc(n)] = float64(i + 1)
		}
	case 'P':
		lookup = map[string]float64{"am": 0, "AM": 0, "pm": 1, "PM": 1}
	default:
		return nil, errVal("D3133", string(p.component))
	}
	return lookup, nil
}

// parseDateTime is toMillis with a picture string.
func parseDateTime(ev *evaluator, ts, picture string) (any, error) {
	parts, err := analyseDateTimePicture(picture)
	if err != nil {
		return nil, err
	}
	matchers, err := pictureMatchers(parts)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("(?i)^")
	for _, m := range matchers {
		b.WriteString("(" + m.regex + ")")
	}
	b.WriteString("$")
	re, cerr := regexp.Compile(b.String())
	if cerr != nil {
		return nil, errMsg("D3137", "invalid date/time picture: "+cerr.Error())
	}
	info := re.FindStringSubmatch(ts)
	if info == nil {
		return Undefined, nil
	}
	comps := map[byte]float64{}
	for i, m := range matchers {
		if m.parse == nil {
			continue
		}
		v, ok := m.parse(info[i+1])
		if !ok {
			v = math.NaN()
		}
		comps[m.component] = v
	}
	if len(comps) == 0 {
		return Undefined, nil
	}
	return assembleDate(ev, comps)
}

func assembleDate(ev *evaluator, comps map[byte]float64) (any, error) {
	mask := 0
	shift := func(c byte) {
		mask <<= 1
		if v, ok := comps[c]; ok && v != 0 && !math.IsNaN(v) {
			mask++
		}
	}
	isType := func(t int) bool { return ^t&mask == 0 && t&mask != 0 }
	for _, c := range []byte("YXMxWwdD") {
		shift(c)
	}
	dateA := isType(161)
	dateB := !dateA && isType(130)
	dateC := isType(84)
	dateD := !dateC && isType(72)
	mask = 0
	for _, c := range []byte("PHhmsf") {
		shift(c)
	}
	timeA := isType(23)
	timeB := !timeA && isType(47)
	dateComps := "YMD"
	switch {
	case dateB:
		dateComps = "YD"
	case dateC:
		dateComps = "XxwF"
	case dateD:
		dateComps = "XWF"
	}
	timeComps := "Hmsf"
	if timeB {
		timeComps = "Phmsf"
	}
	now := ev.now.UTC()
	startSpecified, endSpecified := false, false
	for _, c := range []byte(dateComps + timeComps) {
		if _, ok := comps[c]; !ok {
			if startSpecified {
				if strings.IndexByte("MDd", c) >= 0 {
					comps[c] = 1
				} else {
					comps[c] = 0
				}
				endSpecified = true
			} else if f, ok := dateFragment(now, c).(float64); ok {
				comps[c] = f
			}
			continue
		}
		startSpecified = true
		if endSpecified {
			return nil, newErr("D3136")
		}
	}
	if comps['M'] > 0 {
		comps['M']--
	} else {
		comps['M'] = 0
	}
	if dateB {
		first := utcMillis(int(comps['Y']), 0)
		derived := time.UnixMilli(int64(first + (comps['d']-1)*msPerDay)).UTC()
		comps['M'] = float64(derived.Month() - 1)
		comps['D'] = float64(derived.Day())
	}
	if dateC || dateD {
		return nil, newErr("D3136")
	}
	if timeB {
		h := comps['h']
		if h == 12 {
			h = 0
		}
		if comps['P'] == 1 {
			h += 12
		}
		comps['H'] = h
	}
	for _, v := range comps {
		if math.IsNaN(v) || math.Abs(v) > 1e9 {
			return math.NaN(), nil
		}
	}
	t := time.Date(int(comps['Y']), time.Month(int(comps['M'])+1), int(comps['D']), int(comps['H']), int(comps['m']), int(comps['s']), int(comps['f'])*1e6, time.UTC)
	millis := float64(t.UnixMilli())
	if z, ok := comps['Z']; ok && z != 0 {
		millis -= z * 60000
	} else if z, ok := comps['z']; ok && z != 0 {
		millis -= z * 60000
	}
	return millis, nil
}
