package pattern

import (
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

const fuzzEvent = `{"id":"1","source":"s","detail-type":"t","account":"1","region":"r","time":"t",` +
	`"detail":{"state":"running","n":300.0,"ip":"10.0.0.1","list":[{"a":1},{"b":"x"}]},"resources":[]}`

// seedPairs returns (pattern, event) pairs from the golden files and, when
// present, the conformance corpus.
func seedPairs(t testing.TB) [][2]string {
	var out [][2]string
	for _, gc := range loadGolden(t) {
		for _, ev := range gc.events {
			out = append(out, [2]string{gc.pattern, ev.input})
		}
		if len(gc.events) == 0 {
			out = append(out, [2]string{gc.pattern, fuzzEvent})
		}
	}
	dir := os.Getenv("FOGBANK_CONFORMANCE_DIR")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "..", "shared", "conformance")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "events-patterns", "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var c patternCase
		if json.Unmarshal(b, &c) == nil {
			out = append(out, [2]string{c.PatternRaw, c.EventRaw})
		}
	}
	return out
}

func FuzzCompile(f *testing.F) {
	for _, p := range seedPairs(f) {
		f.Add([]byte(p[0]))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := Compile(raw)
		if err != nil {
			var e *Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, CodeInvalidEventPattern, e.Code)
			return
		}
		_, err = p.MatchJSON([]byte(fuzzEvent))
		require.NoError(t, err)
	})
}

func FuzzMatch(f *testing.F) {
	for _, p := range seedPairs(f) {
		f.Add([]byte(p[0]), []byte(p[1]))
	}
	f.Fuzz(func(t *testing.T, patternRaw, event []byte) {
		p, err := Compile(patternRaw)
		if err != nil {
			return
		}
		single, errSingle := p.MatchJSON(event)
		mt := NewMatcher()
		mt.Add("p", p)
		mt.Add("other", mustCompile(t, `{"detail":{"state":["running"]}}`))
		ids, errMulti := mt.MatchJSON(event)
		require.Equal(t, errSingle == nil, errMulti == nil)
		require.Equal(t, single, contains(ids, "p"))
		// encoding/json, under the reference, rewrites invalid UTF-8.
		if errSingle == nil && utf8.Valid(event) && utf8.Valid(patternRaw) {
			want, err := refMatch(p, event)
			if err == nil {
				require.Equal(t, want, single, "reference disagrees")
			}
		}
	})
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func mustCompile(t testing.TB, raw string) *Pattern {
	t.Helper()
	p, err := Compile([]byte(raw))
	require.NoError(t, err, raw)
	return p
}

// checkDifferential compiles several random patterns into one Matcher and
// checks each random event against the reference evaluator.
func checkDifferential(t *testing.T, seed []byte) {
	r := &rnd{b: seed}
	mt := NewMatcher()
	var pats []*Pattern
	for i := range 1 + r.intn(6) {
		raw := r.pattern(0)
		p, err := Compile([]byte(raw))
		if err != nil {
			continue
		}
		mt.Add(string(rune('a'+i)), p)
		pats = append(pats, p)
		_ = raw
	}
	for range 1 + r.intn(4) {
		ev := r.eventObject(0)
		ids, err := mt.MatchJSON([]byte(ev))
		require.NoError(t, err, ev)
		for i := range pats {
			want, err := refMatch(pats[i], []byte(ev))
			require.NoError(t, err)
			require.Equal(t, want, contains(ids, string(rune('a'+i))), "pattern %d event %s", i, ev)
		}
	}
}

func FuzzDifferential(f *testing.F) {
	for i := range 64 {
		f.Add(binary.LittleEndian.AppendUint64(nil, uint64(i)*0x9E3779B97F4A7C15))
	}
	f.Fuzz(checkDifferential)
}

// TestDifferential runs the differential check on pseudo-random inputs.
func TestDifferential(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		seed := make([]byte, 64)
		for i := range seed {
			seed[i] = byte(rng.UintN(256))
		}
		checkDifferential(t, seed)
	}
}

func FuzzFilterPolicy(f *testing.F) {
	for _, gc := range loadGolden(f) {
		if gc.scope != "" {
			f.Add([]byte(gc.pattern), []byte(`{"a":"x","detail":{"state":"running"}}`))
		}
	}
	f.Add([]byte(`{"store":["value1"]}`), []byte(`{"store":"value1"}`))
	f.Fuzz(func(t *testing.T, raw, body []byte) {
		for _, scope := range []Scope{ScopeMessageAttributes, ScopeMessageBody} {
			p, err := CompileFilterPolicy(raw, scope)
			if err != nil {
				var e *Error
				require.ErrorAs(t, err, &e)
				require.Equal(t, CodeInvalidParameter, e.Code)
				continue
			}
			p.MatchBody(body)
			p.MatchAttributes(map[string]Attribute{
				"a":     {DataType: "String", StringValue: string(body)},
				"store": {DataType: "String.Array", StringValue: string(body)},
				"n":     {DataType: "Number", StringValue: string(body)},
			})
		}
	})
}
