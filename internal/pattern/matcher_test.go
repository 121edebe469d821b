package pattern

import (
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMatcherAddRemove(t *testing.T) {
	t.Parallel()
	mt := NewMatcher()
	mt.Add("a", mustCompile(t, `{"source":["x"]}`))
	mt.Add("b", mustCompile(t, `{"source":[{"prefix":"x"}]}`))
	mt.Add("c", mustCompile(t, `{"source":["y"]}`))
	ids, err := mt.MatchJSON([]byte(`{"source":"x"}`))
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b"}, ids)

	mt.Remove("a")
	mt.Add("c", mustCompile(t, `{"source":["x"]}`)) // replaces
	ids, err = mt.MatchJSON([]byte(`{"source":"x"}`))
	require.NoError(t, err)
	require.Equal(t, []string{"b", "c"}, ids)
	require.Equal(t, 2, mt.Len())

	_, err = mt.MatchJSON([]byte(`[1]`))
	requireAWSError(t, err, CodeValidation, "Parameter Event is not valid.")
}

func TestMatcherConcurrent(t *testing.T) {
	t.Parallel()
	mt := NewMatcher()
	event := []byte(`{"source":"x","detail":{"n":5}}`)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				id := strconv.Itoa(w*1000 + i)
				mt.Add(id, mustCompile(t, `{"detail":{"n":[{"numeric":[">",`+strconv.Itoa(i%10)+`]}]}}`))
				if _, err := mt.MatchJSON(event); err != nil {
					t.Error(err)
				}
				if i%3 == 0 {
					mt.Remove(id)
				}
			}
		})
	}
	wg.Wait()
	ids, err := mt.MatchJSON(event)
	require.NoError(t, err)
	require.NotEmpty(t, ids)
}

func TestMatchExactDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	mt := NewMatcher()
	for i := range 100 {
		mt.Add("r"+strconv.Itoa(i), mustCompile(t, `{"detail-type":["type-`+strconv.Itoa(i)+`"]}`))
	}
	event := benchEvent(42)
	dst := make([]string, 0, 8)
	_, err := mt.AppendMatchJSON(dst, event) // build the machine
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(100, func() {
		out, err := mt.AppendMatchJSON(dst[:0], event)
		if err != nil || len(out) != 1 {
			t.Fatalf("got %v %v", out, err)
		}
	})
	require.Zero(t, allocs)
}
