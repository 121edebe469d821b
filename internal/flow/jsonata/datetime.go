package jsonata

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const isoPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"

var (
	dayNames   = []string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

type widthSpec struct {
	min, max       int
	hasMin, hasMax bool
}

// picturePart is a literal or a variable marker of a date/time picture.
type picturePart struct {
	literal       string
	isMarker      bool
	component     byte
	presentation1 string
	presentation2 string
	width         *widthSpec
	names         string
	integerFormat *intFormat
	n             int
}

func defaultPresentation(c byte) (string, bool) {
	switch c {
	case 'Y', 'M', 'D', 'd', 'W', 'w', 'X', 'x', 'H', 'h', 'f':
		return "1", true
	case 'F', 'P', 'C', 'E':
		return "n", true
	case 'm', 's':
		return "01", true
	case 'Z', 'z':
		return "01:01", true
	}
	return "", false
}

var spaceRe = regexp.MustCompile(`\s+`)

func analyseDateTimePicture(picture string) ([]*picturePart, error) {
	var parts []*picturePart
	addLiteral := func(start, end int) {
		if end > start {
			parts = append(parts, &picturePart{literal: strings.ReplaceAll(picture[start:end], "]]", "]")})
		}
	}
	start, pos := 0, 0
	for pos < len(picture) {
		if picture[pos] != '[' {
			pos++
			continue
		}
		if pos+1 < len(picture) && picture[pos+1] == '[' {
			addLiteral(start, pos)
			parts = append(parts, &picturePart{literal: "["})
			pos += 2
			start = pos
			continue
		}
		addLiteral(start, pos)
		start = pos
		end := strings.IndexByte(picture[start:], ']')
		if end < 0 {
			return nil, newErr("D3135")
		}
		pos = start + end
		marker := spaceRe.ReplaceAllString(picture[start+1:pos], "")
		part, err := analyseMarker(marker)
		if err != nil {
			return nil, err
		}
		parts = append(parts, part)
		start = pos + 1
		pos++
	}
	addLiteral(start, pos)
	return parts, nil
}

func parseWidth(s string) (int, bool) {
	if s == "*" {
		return 0, false
	}
	n, ok := parseLeadingInt(s)
	return n, ok
}

func analyseMarker(marker string) (*picturePart, error) {
	def := &picturePart{isMarker: true}
	if marker != "" {
		def.component = marker[0]
	}
	presMod := ""
	if comma := strings.LastIndexByte(marker, ','); comma >= 0 {
		widthMod := marker[comma+1:]
		w := &widthSpec{}
		minS, maxS, hasDash := strings.Cut(widthMod, "-")
		w.min, w.hasMin = parseWidth(minS)
		if hasDash {
			w.max, w.hasMax = parseWidth(maxS)
		}
		def.width = w
		if comma >= 1 {
			presMod = marker[1:comma]
		}
	} else if len(marker) > 1 {
		presMod = marker[1:]
	}
	switch {
	case len([]rune(presMod)) == 1:
		def.presentation1 = presMod
	case presMod != "":
		last := presMod[len(presMod)-1]
		if strings.IndexByte("atco", last) >= 0 {
			def.presentation2 = string(last)
			def.presentation1 = presMod[:len(presMod)-1]
		} else {
			def.presentation1 = presMod
		}
	default:
		p, ok := defaultPresentation(def.component)
		if !ok {
			return nil, errVal("D3132", string(def.component))
		}
		def.presentation1 = p
	}
	if err := analyseMarkerFormat(def); err != nil {
		return nil, err
	}
	return def, nil
}

func analyseMarkerFormat(def *picturePart) error {
	p1 := def.presentation1
	switch {
	case strings.HasPrefix(p1, "n"):
		def.names = "lower"
	case strings.HasPrefix(p1, "N"):
		if strings.HasPrefix(p1[1:], "n") {
			def.names = "title"
		} else {
			def.names = "upper"
		}
	case strings.IndexByte("YMDdFWwXxHhmsf", def.component) >= 0 && def.component != 0:
		pattern := p1
		if def.presentation2 != "" {
			pattern += ";" + def.presentation2
		}
		f, err := analyseIntegerPicture(pattern)
		if err != nil {
			return err
		}
		def.integerFormat = f
		if def.width != nil && def.width.hasMin && f.mandatory < def.width.min {
			f.mandatory = def.width.min
		}
		if strings.IndexByte("YMD", def.component) >= 0 {
			def.n = -1
			if def.width != nil && def.width.hasMax {
				def.n = def.width.max
				f.mandatory = def.n
			} else if w := f.mandatory + f.optional; w >= 2 {
				def.n = w
			}
		}
	}
	if def.component == 'Z' || def.component == 'z' {
		f, err := analyseIntegerPicture(p1)
		if err != nil {
			return err
		}
		def.integerFormat = f
	}
	return nil
}

const msPerDay = 86400000

func utcMillis(year, month int) float64 {
	return float64(time.Date(year, time.Month(month+1), 1, 0, 0, 0, 0, time.UTC).UnixMilli())
}

func startOfFirstWeek(year, month int) float64 {
	jan1 := utcMillis(year, month)
	day := int(time.UnixMilli(int64(jan1)).UTC().Weekday())
	if day == 0 {
		day = 7
	}
	if day > 4 {
		return jan1 + float64(8-day)*msPerDay
	}
	return jan1 - float64(day-1)*msPerDay
}

func deltaWeeks(start, end float64) float64 { return (end-start)/(msPerDay*7) + 1 }

func nextMonth(y, m int) (int, int) {
	if m == 11 {
		return y + 1, 0
	}
	return y, m + 1
}

func prevMonth(y, m int) (int, int) {
	if m == 0 {
		return y - 1, 11
	}
	return y, m - 1
}

// dateFragment is getDateTimeFragment; a nil result is JavaScript undefined.
func dateFragment(t time.Time, c byte) any {
	y, mo, d := t.Date()
	m := int(mo) - 1
	today := float64(time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).UnixMilli())
	switch c {
	case 'Y':
		return float64(y)
	case 'M':
		return float64(m + 1)
	case 'D':
		return float64(d)
	case 'd':
		return (today-utcMillis(y, 0))/msPerDay + 1
	case 'F':
		wd := int(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return float64(wd)
	case 'W':
		week := deltaWeeks(startOfFirstWeek(y, 0), today)
		if week > 52 {
			if today >= startOfFirstWeek(y+1, 0) {
				week = 1
			}
		} else if week < 1 {
			week = deltaWeeks(startOfFirstWeek(y-1, 0), today)
		}
		return math.Floor(week)
	case 'w':
		week := deltaWeeks(startOfFirstWeek(y, m), today)
		if week > 4 {
			ny, nm := nextMonth(y, m)
			if today >= startOfFirstWeek(ny, nm) {
				week = 1
			}
		} else if week < 1 {
			py, pm := prevMonth(y, m)
			week = deltaWeeks(startOfFirstWeek(py, pm), today)
		}
		return math.Floor(week)
	case 'X':
		now := float64(t.UnixMilli())
		switch {
		case now < startOfFirstWeek(y, 0):
			return float64(y - 1)
		case now >= startOfFirstWeek(y+1, 0):
			return float64(y + 1)
		}
		return float64(y)
	case 'x':
		now := float64(t.UnixMilli())
		ny, nm := nextMonth(y, m)
		switch {
		case now < startOfFirstWeek(y, m):
			_, pm := prevMonth(y, m)
			return float64(pm + 1)
		case now >= startOfFirstWeek(ny, nm):
			return float64(nm + 1)
		}
		return float64(m + 1)
	case 'H':
		return float64(t.Hour())
	case 'h':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return float64(h)
	case 'P':
		if t.Hour() >= 12 {
			return "pm"
		}
		return "am"
	case 'm':
		return float64(t.Minute())
	case 's':
		return float64(t.Second())
	case 'f':
		return float64(t.Nanosecond() / 1e6)
	case 'C', 'E':
		return "ISO"
	}
	return nil
}

func jsParseInt(s string) float64 {
	s = strings.TrimLeft(s, " \t\n\r")
	neg := false
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		neg = s[0] == '-'
		s = s[1:]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return math.NaN()
	}
	f, _ := strconv.ParseFloat(s[:i], 64)
	if neg {
		f = -f
	}
	return f
}

func formatDateTime(millis float64, picture *string, timezone *string) (string, error) {
	offH, offM := 0.0, 0.0
	if timezone != nil {
		off := jsParseInt(*timezone)
		offH = math.Floor(off / 100)
		offM = math.Mod(off, 100)
	}
	pic := isoPicture
	if picture != nil {
		pic = *picture
	}
	parts, err := analyseDateTimePicture(pic)
	if err != nil {
		return "", err
	}
	offMillis := (60*offH + offM) * 60 * 1000
	total := millis + offMillis
	if math.IsNaN(total) || math.Abs(total) > 8.64e15 {
		return "", errMsg("U1003", "date out of range")
	}
	t := time.UnixMilli(int64(total)).UTC()
	var b strings.Builder
	for _, p := range parts {
		if !p.isMarker {
			b.WriteString(p.literal)
			continue
		}
		s, err := formatComponent(t, p, offH, offM)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func formatComponent(t time.Time, p *picturePart, offH, offM float64) (string, error) {
	v := dateFragment(t, p.component)
	c := p.component
	switch {
	case c != 0 && strings.IndexByte("YMDdFWwXxHhms", c) >= 0:
		n := v.(float64)
		if c == 'Y' && p.n != -1 {
			n = math.Mod(n, math.Pow(10, float64(p.n)))
		}
		if p.names != "" {
			return formatName(p, n)
		}
		if p.integerFormat == nil {
			return "", errVal("D3132", string(c))
		}
		return formatIntegerWith(n, p.integerFormat)
	case c == 'f':
		if p.integerFormat == nil {
			return jsToString(v), nil
		}
		return formatIntegerWith(v.(float64), p.integerFormat)
	case c == 'Z' || c == 'z':
		return formatZone(p, offH, offM)
	case c == 'P':
		s := v.(string)
		if p.names == "upper" {
			s = strings.ToUpper(s)
		}
		return s, nil
	}
	return jsToString(v), nil
}

func jsToString(v any) string {
	switch x := v.(type) {
	case nil:
		return "undefined"
	case string:
		return x
	case float64:
		return FormatNumber(x)
	}
	return ""
}

func formatName(p *picturePart, n float64) (string, error) {
	var s string
	switch p.component {
	case 'M', 'x':
		i := int(n) - 1
		if i < 0 || i >= len(monthNames) {
			return "undefined", nil
		}
		s = monthNames[i]
	case 'F':
		s = dayNames[int(n)%len(dayNames)]
	default:
		return "", errVal("D3133", string(p.component))
	}
	switch p.names {
	case "upper":
		s = strings.ToUpper(s)
	case "lower":
		s = strings.ToLower(s)
	}
	if p.width != nil && p.width.hasMax && len(s) > p.width.max {
		s = s[:max(0, p.width.max)]
	}
	return s, nil
}

func formatZone(p *picturePart, offH, offM float64) (string, error) {
	offset := offH*100 + offM
	f := p.integerFormat
	var s string
	var err error
	if f.regular {
		s, err = formatIntegerWith(offset, f)
	} else {
		switch f.mandatory {
		case 1, 2:
			s, err = formatIntegerWith(offH, f)
			if offM != 0 {
				mf, _ := analyseIntegerPicture("00")
				ms, _ := formatIntegerWith(math.Floor(offM), mf)
				s += ":" + ms
			}
		case 3, 4:
			s, err = formatIntegerWith(offset, f)
		default:
			return "", errVal("D3134", float64(f.mandatory))
		}
	}
	if err != nil {
		return "", err
	}
	if offset >= 0 {
		s = "+" + s
	}
	if p.component == 'z' {
		s = "GMT" + s
	}
	if offset == 0 && p.presentation2 == "t" {
		s = "Z"
	}
	return s, nil
}

func optString(v any) *string {
	if s, ok := v.(string); ok {
		return &s
	}
	return nil
}

func fromMillisFormat(millis float64, picture, tz any) (any, error) {
	return formatDateTime(millis, optString(picture), optString(tz))
}

func fnFromMillis(_ *evaluator, args []any, _ *callCtx) (any, error) {
	ms, ok := args[0].(float64)
	if !ok {
		return Undefined, nil
	}
	return fromMillisFormat(ms, args[1], args[2])
}

var iso8601Re = regexp.MustCompile(`^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$`)

var isoPartsRe = regexp.MustCompile(`^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?)?([+-]\d\d:?\d\d|Z)?$`)

func fnToMillis(ev *evaluator, args []any, _ *callCtx) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return Undefined, nil
	}
	if pic, ok := args[1].(string); ok {
		return parseDateTime(ev, s, pic)
	}
	if !iso8601Re.MatchString(s) {
		return nil, errVal("D3110", s)
	}
	return parseISO(s), nil
}

// parseISO is Date.parse for the forms the ISO 8601 check admits; a time
// without an offset is taken as UTC (the AWS runtime's zone).
func parseISO(s string) float64 {
	m := isoPartsRe.FindStringSubmatch(s)
	if m == nil {
		return math.NaN()
	}
	num := func(x string, def int) int {
		if x == "" {
			return def
		}
		n, _ := strconv.Atoi(x)
		return n
	}
	y, mo, d := num(m[1], 0), num(m[2], 1), num(m[3], 1)
	h, mi, sec := num(m[4], 0), num(m[5], 0), num(m[6], 0)
	ms := 0
	if m[7] != "" {
		frac := (m[7] + "00")[:3]
		ms, _ = strconv.Atoi(frac)
	}
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 24 || (h == 24 && (mi != 0 || sec != 0 || ms != 0)) {
		return math.NaN()
	}
	if m[3] == "" && m[4] != "" {
		return math.NaN()
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ms*1e6, time.UTC)
	millis := float64(t.UnixMilli())
	if z := m[8]; z != "" && z != "Z" {
		sign := 1.0
		if z[0] == '-' {
			sign = -1
		}
		z = strings.ReplaceAll(z[1:], ":", "")
		oh, _ := strconv.Atoi(z[:2])
		om, _ := strconv.Atoi(z[2:])
		millis -= sign * float64(oh*60+om) * 60000
	}
	return millis
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m+1), 0, 0, 0, 0, 0, time.UTC).Day()
}
