package bus

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// schedule is a parsed ScheduleExpression: rate(...) or cron(...). Times
// are UTC.
type schedule interface {
	// next returns the first fire time strictly after t; for a rate, base
	// is the time the schedule started counting from. The zero time means
	// never again.
	next(base, t time.Time) time.Time
}

var errSchedule = errors.New("Parameter ScheduleExpression is not valid.") //nolint:staticcheck // AWS's message

var rateRE = regexp.MustCompile(`^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$`)

// parseSchedule parses rate(Value Unit) and cron(Minutes Hours
// Day-of-month Month Day-of-week Year).
func parseSchedule(expr string) (schedule, error) {
	if len(expr) > 256 {
		return nil, errSchedule
	}
	if m := rateRE.FindStringSubmatch(expr); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n <= 0 || n > 1_000_000 {
			return nil, errSchedule
		}
		unit := map[string]time.Duration{"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}[strings.TrimSuffix(m[2], "s")]
		return rate(time.Duration(n) * unit), nil
	}
	body, ok := strings.CutPrefix(expr, "cron(")
	if !ok {
		return nil, errSchedule
	}
	body, ok = strings.CutSuffix(body, ")")
	if !ok {
		return nil, errSchedule
	}
	return parseCron(strings.Fields(body))
}

// rate fires every period after its base.
type rate time.Duration

func (r rate) next(base, t time.Time) time.Time {
	p := time.Duration(r)
	if t.Before(base) {
		return base.Add(p)
	}
	n := t.Sub(base)/p + 1
	return base.Add(n * p)
}

// cron is AWS's six-field cron. Sets are bit masks; the day fields keep
// their special forms apart.
type cron struct {
	minutes, hours, months uint64
	years                  [4]uint64 // 1970..2199, bit y-1970
	dom                    uint64    // days of month 1..31
	domAny                 bool      // '*' or '?': day-of-week decides
	domLast                bool      // L
	domLastWeekday         bool      // LW
	domNearest             []int     // nW
	dow                    uint64    // 1..7 = SUN..SAT
	dowAny                 bool
	dowLast                []int    // nL: last weekday n of the month
	dowNth                 [][2]int // n#k: k-th weekday n
}

var (
	monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
	dayNames   = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
)

const minYear, maxYear = 1970, 2199

func parseCron(f []string) (*cron, error) {
	if len(f) != 6 {
		return nil, errSchedule
	}
	c := &cron{}
	var err error
	if c.minutes, err = parseSet(f[0], 0, 59, nil); err != nil {
		return nil, err
	}
	if c.hours, err = parseSet(f[1], 0, 23, nil); err != nil {
		return nil, err
	}
	if c.months, err = parseSet(f[3], 1, 12, monthNames); err != nil {
		return nil, err
	}
	if err := c.parseYears(f[5]); err != nil {
		return nil, err
	}
	// Exactly one of day-of-month and day-of-week is '?'.
	if (f[2] == "?") == (f[4] == "?") {
		return nil, errSchedule
	}
	if f[2] == "?" {
		c.domAny = true
		return c, c.parseDOW(f[4])
	}
	c.dowAny = true
	return c, c.parseDOM(f[2])
}

func (c *cron) parseYears(f string) error {
	if f == "?" {
		f = "*"
	}
	set, err := parseWide(f, minYear, maxYear)
	if err != nil {
		return err
	}
	c.years = set
	return nil
}

func (c *cron) parseDOM(f string) error {
	for part := range strings.SplitSeq(f, ",") {
		switch {
		case part == "L":
			c.domLast = true
		case part == "LW":
			c.domLastWeekday = true
		case strings.HasSuffix(part, "W"):
			n, err := strconv.Atoi(strings.TrimSuffix(part, "W"))
			if err != nil || n < 1 || n > 31 {
				return errSchedule
			}
			c.domNearest = append(c.domNearest, n)
		default:
			set, err := parseSet(part, 1, 31, nil)
			if err != nil {
				return err
			}
			c.dom |= set
		}
	}
	return nil
}

func (c *cron) parseDOW(f string) error {
	for part := range strings.SplitSeq(f, ",") {
		switch {
		case part == "L":
			c.dow |= 1 << 7 // L alone: the last day of the week, Saturday (7)
		case strings.HasSuffix(part, "L"):
			d, err := dayValue(strings.TrimSuffix(part, "L"))
			if err != nil {
				return err
			}
			c.dowLast = append(c.dowLast, d)
		case strings.Contains(part, "#"):
			ds, ks, _ := strings.Cut(part, "#")
			d, err := dayValue(ds)
			if err != nil {
				return err
			}
			k, err := strconv.Atoi(ks)
			if err != nil || k < 1 || k > 5 {
				return errSchedule
			}
			c.dowNth = append(c.dowNth, [2]int{d, k})
		default:
			set, err := parseSet(part, 1, 7, dayNames)
			if err != nil {
				return err
			}
			c.dow |= set
		}
	}
	return nil
}

func dayValue(s string) (int, error) {
	if d, ok := dayNames[strings.ToUpper(s)]; ok {
		return d, nil
	}
	d, err := strconv.Atoi(s)
	if err != nil || d < 1 || d > 7 {
		return 0, errSchedule
	}
	return d, nil
}

// parseSet parses a comma list of '*', values, ranges a-b and steps x/n
// into a bit mask.
func parseSet(f string, lo, hi int, names map[string]int) (uint64, error) {
	var set uint64
	for part := range strings.SplitSeq(f, ",") {
		from, to, step, err := parseTerm(part, lo, hi, names)
		if err != nil {
			return 0, err
		}
		for v := from; v <= to; v += step {
			set |= 1 << v
		}
	}
	return set, nil
}

// parseWide is parseSet for the year field (more than 64 values).
func parseWide(f string, lo, hi int) ([4]uint64, error) {
	var set [4]uint64
	for part := range strings.SplitSeq(f, ",") {
		from, to, step, err := parseTerm(part, lo, hi, nil)
		if err != nil {
			return set, err
		}
		for v := from; v <= to; v += step {
			i := v - lo
			set[i/64] |= 1 << (i % 64)
		}
	}
	return set, nil
}

func parseTerm(part string, lo, hi int, names map[string]int) (from, to, step int, err error) {
	rng, stepStr, hasStep := strings.Cut(part, "/")
	step = 1
	if hasStep {
		if step, err = strconv.Atoi(stepStr); err != nil || step < 1 || step > hi {
			return 0, 0, 0, errSchedule
		}
	}
	value := func(s string) (int, error) {
		if v, ok := names[strings.ToUpper(s)]; ok {
			return v, nil
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < lo || v > hi {
			return 0, errSchedule
		}
		return v, nil
	}
	switch {
	case rng == "*":
		from, to = lo, hi
	case strings.Contains(rng, "-"):
		a, b, _ := strings.Cut(rng, "-")
		if from, err = value(a); err != nil {
			return 0, 0, 0, err
		}
		if to, err = value(b); err != nil {
			return 0, 0, 0, err
		}
		if to < from {
			return 0, 0, 0, errSchedule
		}
	default:
		if from, err = value(rng); err != nil {
			return 0, 0, 0, err
		}
		to = from
		if hasStep {
			to = hi
		}
	}
	return from, to, step, nil
}

func has(set uint64, v int) bool { return set&(1<<v) != 0 }

func (c *cron) hasYear(y int) bool {
	if y < minYear || y > maxYear {
		return false
	}
	i := y - minYear
	return c.years[i/64]&(1<<(i%64)) != 0
}

// next finds the first matching minute after t, moving field by field.
func (c *cron) next(_, t time.Time) time.Time {
	t = t.UTC().Truncate(time.Minute).Add(time.Minute)
	for t.Year() <= maxYear {
		switch {
		case !c.hasYear(t.Year()):
			t = time.Date(t.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
		case !has(c.months, int(t.Month())):
			t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		case !c.dayMatches(t):
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC)
		case !has(c.hours, t.Hour()):
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, time.UTC)
		case !has(c.minutes, t.Minute()):
			t = t.Add(time.Minute)
		default:
			return t
		}
	}
	return time.Time{}
}

func (c *cron) dayMatches(t time.Time) bool {
	last := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	d := t.Day()
	if c.dowAny { // day-of-month decides
		if has(c.dom, d) || (c.domLast && d == last) {
			return true
		}
		if c.domLastWeekday && d == nearestWeekday(t, last, last) {
			return true
		}
		for _, n := range c.domNearest {
			if n <= last && d == nearestWeekday(t, n, last) {
				return true
			}
		}
		return false
	}
	wd := int(t.Weekday()) + 1
	if has(c.dow, wd) {
		return true
	}
	for _, l := range c.dowLast {
		if wd == l && d+7 > last {
			return true
		}
	}
	for _, nk := range c.dowNth {
		if wd == nk[0] && (d-1)/7+1 == nk[1] {
			return true
		}
	}
	return false
}

// nearestWeekday is the weekday (Mon–Fri) nearest to day n of t's month,
// without leaving the month.
func nearestWeekday(t time.Time, n, last int) int {
	switch time.Date(t.Year(), t.Month(), n, 0, 0, 0, 0, time.UTC).Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == last {
			return n - 2
		}
		return n + 1
	default:
		return n
	}
}
