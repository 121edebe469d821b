package pattern

import (
	"fmt"
	"strconv"
	"testing"
)

// benchEvent is a realistic EventBridge event of about 1 KB; k selects the
// rule it is meant to hit.
func benchEvent(k int) []byte {
	return fmt.Appendf(nil, `{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718",`+
		`"detail-type":"type-%d","source":"src.%d","account":"111122223333",`+
		`"time":"2017-12-22T18:43:48Z","region":"us-west-1",`+
		`"resources":["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],`+
		`"detail":{"instance-id":"i-1234567890abcdef0","state":"state-%d","price":%d.5,`+
		`"path":"/svc-%d/2024/05/file-%d.txt","object":{"key":"prefix-%d/reports/2024/summary.ext%d","size":1048576,`+
		`"etag":"d41d8cd98f00b204e9800998ecf8427e","versionId":"3HL4kqtJlcpXroDTDmJ"},`+
		`"requester":"123456789012","source-ip-address":"192.0.2.1","reason":"object created",`+
		`"tags":[{"key":"team","value":"payments"},{"key":"env","value":"prod"}],`+
		`"metrics":{"latency":12.5,"retries":0,"ok":true,"note":null},`+
		`"description":"A fairly long description to make the event look like a real one, with some text."}}`,
		k, k%50, k%7, k*10, k, k, k, k%20)
}

type benchMix struct {
	name string
	rule func(i int) string
}

var benchMixes = []benchMix{
	{"exact", func(i int) string {
		return fmt.Sprintf(`{"source":["src.%d"],"detail-type":["type-%d"],"detail":{"state":["state-%d"]}}`, i%50, i, i%7)
	}},
	{"prefix-suffix", func(i int) string {
		if i%2 == 0 {
			return fmt.Sprintf(`{"detail":{"object":{"key":[{"prefix":"prefix-%d/"}]}}}`, i)
		}
		return fmt.Sprintf(`{"detail":{"path":[{"suffix":"/file-%d.txt"}]},"source":[{"prefix":"src."}]}`, i)
	}},
	{"numeric", func(i int) string {
		return fmt.Sprintf(`{"detail":{"price":[{"numeric":[">=",%d,"<",%d]}]}}`, i*10, i*10+10)
	}},
	{"anything-but-wildcard", func(i int) string {
		if i%2 == 0 {
			return fmt.Sprintf(`{"detail":{"path":[{"wildcard":"/svc-%d/*/file-*.txt"}]}}`, i)
		}
		return fmt.Sprintf(`{"detail-type":["type-%d"],"detail":{"state":[{"anything-but":["stopped","s-%d"]}]}}`, i, i)
	}},
}

func BenchmarkMatch(b *testing.B) {
	for _, mix := range benchMixes {
		for _, n := range []int{10, 100, 1000, 10000} {
			b.Run(mix.name+"/"+strconv.Itoa(n), func(b *testing.B) {
				benchmarkMix(b, mix, n)
			})
		}
	}
}

func benchmarkMix(b *testing.B, mix benchMix, n int) {
	mt := NewMatcher()
	for i := range n {
		p, err := Compile([]byte(mix.rule(i)))
		if err != nil {
			b.Fatal(err)
		}
		mt.Add("rule-"+strconv.Itoa(i), p)
	}
	events := make([][]byte, 16)
	for i := range events {
		events[i] = benchEvent((i * 7919) % n)
	}
	dst := make([]string, 0, 64)
	matched := 0
	if _, err := mt.MatchJSON(events[0]); err != nil { // build the machine
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(events[0])))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		out, err := mt.AppendMatchJSON(dst[:0], events[i%len(events)])
		if err != nil {
			b.Fatal(err)
		}
		matched += len(out)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if matched == 0 {
		b.Fatal("no event matched")
	}
}
