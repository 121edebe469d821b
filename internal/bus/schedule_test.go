package bus

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestScheduleNext(t *testing.T) {
	t.Parallel()
	cases := []struct{ expr, base, after, want string }{
		{"rate(5 minutes)", "2024-01-01T00:00:30Z", "2024-01-01T00:02:00Z", "2024-01-01T00:05:30Z"},
		{"rate(1 minute)", "2024-01-01T00:00:30Z", "2024-01-01T00:05:30Z", "2024-01-01T00:06:30Z"},
		{"rate(2 hours)", "2024-01-01T00:00:00Z", "2024-01-01T03:00:00Z", "2024-01-01T04:00:00Z"},
		{"rate(1 day)", "2024-01-01T12:00:00Z", "2024-01-01T11:00:00Z", "2024-01-02T12:00:00Z"},
		{"cron(0 10 * * ? *)", "", "2024-01-01T09:00:00Z", "2024-01-01T10:00:00Z"},
		{"cron(0 10 * * ? *)", "", "2024-01-01T10:00:00Z", "2024-01-02T10:00:00Z"},
		{"cron(15 12 * * ? *)", "", "2024-01-01T12:15:59Z", "2024-01-02T12:15:00Z"},
		{"cron(0 18 ? * MON-FRI *)", "", "2024-01-05T18:00:00Z", "2024-01-08T18:00:00Z"},
		{"cron(0 8 1 * ? *)", "", "2024-01-01T08:00:00Z", "2024-02-01T08:00:00Z"},
		{"cron(0/15 * * * ? *)", "", "2024-01-01T00:07:00Z", "2024-01-01T00:15:00Z"},
		{"cron(0/10 * ? * MON-FRI *)", "", "2024-01-06T00:00:00Z", "2024-01-08T00:00:00Z"},
		{"cron(5,35 14 * * ? *)", "", "2024-01-01T14:05:00Z", "2024-01-01T14:35:00Z"},
		{"cron(0 0 L * ? *)", "", "2024-02-01T00:00:00Z", "2024-02-29T00:00:00Z"},
		{"cron(0 0 LW * ? *)", "", "2024-03-01T00:00:00Z", "2024-03-29T00:00:00Z"},
		{"cron(0 0 15W * ? *)", "", "2024-06-01T00:00:00Z", "2024-06-14T00:00:00Z"},
		{"cron(0 0 1W * ? *)", "", "2024-05-31T00:00:00Z", "2024-06-03T00:00:00Z"},
		{"cron(0 0 ? * 6L *)", "", "2024-01-01T00:00:00Z", "2024-01-26T00:00:00Z"},
		{"cron(0 0 ? * 3#2 *)", "", "2024-01-01T00:00:00Z", "2024-01-09T00:00:00Z"},
		{"cron(0 0 ? * TUE#2 *)", "", "2024-01-09T00:00:00Z", "2024-02-13T00:00:00Z"},
		{"cron(0 0 ? * L *)", "", "2024-01-01T00:00:00Z", "2024-01-06T00:00:00Z"},
		{"cron(30 9 ? * 2,4,6 2025)", "", "2024-01-01T00:00:00Z", "2025-01-01T09:30:00Z"},
		{"cron(0 12 29 FEB ? 2025-2030)", "", "2024-01-01T00:00:00Z", "2028-02-29T12:00:00Z"},
		{"cron(0 0 * JAN-MAR/2 ? *)", "", "2024-01-31T00:00:00Z", "2024-03-01T00:00:00Z"},
		{"cron(0 0 1 1 ? 2023)", "", "2024-01-01T00:00:00Z", ""},
	}
	for _, c := range cases {
		t.Run(c.expr+"@"+c.after, func(t *testing.T) {
			t.Parallel()
			s, err := parseSchedule(c.expr)
			require.NoError(t, err)
			var base time.Time
			if c.base != "" {
				base = ts(c.base)
			}
			got := s.next(base, ts(c.after))
			if c.want == "" {
				require.True(t, got.IsZero(), got)
				return
			}
			require.Equal(t, ts(c.want), got)
		})
	}
}

func TestScheduleInvalid(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{
		"", "rate(0 minutes)", "rate(5 weeks)", "rate(5)", "rate(-1 minutes)", "cron(0 0 * * * *)", "cron(0 0 ? * ? *)",
		"cron(60 0 * * ? *)", "cron(0 24 * * ? *)", "cron(0 0 * * ?)", "cron(0 0 32W * ? *)", "cron(0 0 ? * 8 *)",
		"cron(0 0 ? * MON#6 *)", "cron(5-1 * * * ? *)", "cron(0 0 * 13 ? *)", "cron(0 0 * * ? 1969)", "cron(*/0 * * * ? *)",
		"cron(0 0 0 * ? *)", "cron(a b c d e f)", "at(2024-01-01T00:00:00)",
	} {
		_, err := parseSchedule(expr)
		require.Error(t, err, expr)
		require.Error(t, validateSchedule(expr), expr)
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{
		"rate(5 minutes)", "cron(0 10 * * ? *)", "cron(0 0 LW * ? *)", "cron(0 0 ? * 6L *)",
		"cron(0 0 ? * 3#2 *)", "cron(0/15 1-5 15W JAN-MAR/2 ? 2025-2030)", "cron(0 12 29 FEB ? *)",
	} {
		f.Add(s)
	}
	after := ts("2024-05-17T13:37:00Z")
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := parseSchedule(expr)
		if err != nil {
			return
		}
		next := s.next(after, after)
		if next.IsZero() {
			return
		}
		if !next.After(after) {
			t.Fatalf("%s: next %v not after %v", expr, next, after)
		}
		if c, ok := s.(*cron); ok {
			if again := c.next(time.Time{}, next.Add(-time.Minute)); !again.Equal(next) {
				t.Fatalf("%s: next from a minute before %v is %v", expr, next, again)
			}
		}
	})
}
