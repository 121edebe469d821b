package pattern

import (
	"bytes"
	"slices"
	"strconv"
)

// maxWildcardComplexity is the largest accepted complexity of one pattern's
// wildcards on one path (see wildcardComplexity). AWS does not publish its
// threshold; event-ruler's README uses 10 as its per-rule example.
const maxWildcardComplexity = 10

const tooComplex = "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"

// wildcard is a parsed wildcard pattern: literal segments separated by '*'.
type wildcard struct {
	segs [][]byte // len(segs) = number of '*' + 1
}

// parseWildcard parses a wildcard operand. Positions in errors count bytes of
// the quoted JSON string, as event-ruler does.
func parseWildcard(s string) (*wildcard, error) {
	w := &wildcard{}
	var cur []byte
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*':
			if i+1 < len(s) && s[i+1] == '*' {
				return nil, fail("Consecutive wildcard characters at pos " + strconv.Itoa(i+1))
			}
			w.segs = append(w.segs, cur)
			cur = nil
		case '\\':
			if i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '\\') {
				cur = append(cur, s[i+1])
				i++
				continue
			}
			return nil, fail("Invalid escape character at pos " + strconv.Itoa(i+1))
		default:
			cur = append(cur, s[i])
		}
	}
	w.segs = append(w.segs, cur)
	return w, nil
}

// match reports whether v matches the whole wildcard pattern.
func (w *wildcard) match(v []byte) bool {
	first, last := w.segs[0], w.segs[len(w.segs)-1]
	if len(w.segs) == 1 {
		return bytes.Equal(v, first)
	}
	if len(v) < len(first)+len(last) || !bytes.HasPrefix(v, first) || !bytes.HasSuffix(v, last) {
		return false
	}
	v = v[len(first) : len(v)-len(last)]
	for _, seg := range w.segs[1 : len(w.segs)-1] {
		i := bytes.Index(v, seg)
		if i < 0 {
			return false
		}
		v = v[i+len(seg):]
	}
	return true
}

// literalPrefix is the part before the first '*' (the whole value if none).
func (w *wildcard) literalPrefix() []byte { return w.segs[0] }

// wildcardComplexity estimates event-ruler's MachineComplexityEvaluator for a
// set of wildcard patterns on one field: the largest number of pattern
// positions a single input can keep alive at once. With the threshold 10,
// "*:*:*:*:*:event-bus/*" (12) is rejected as AWS does, while five
// wildcards as in "*:*:*:*:event-bus/*" (10) and the recorded accepted
// patterns pass. The search stops early above limit.
func wildcardComplexity(ws []*wildcard, limit int) int {
	nfa := buildWildcardNFA(ws)
	start := nfa.closure([]int{})
	seen := map[string]bool{}
	queue := [][]int{start}
	worst := 0
	for len(queue) > 0 && len(seen) < 20000 {
		set := queue[0]
		queue = queue[1:]
		key := setKey(set)
		if seen[key] {
			continue
		}
		seen[key] = true
		if c := nfa.weight(set); c > worst {
			worst = c
			if worst > limit {
				return worst
			}
		}
		for _, b := range nfa.alphabet {
			if next := nfa.step(set, b); len(next) > 0 {
				queue = append(queue, next)
			}
		}
	}
	return worst
}

// wnfa is a position automaton over several wildcard patterns.
type wnfa struct {
	toks     []int16 // byte value, -1 for '*', -2 for end of a pattern
	alphabet []int16 // distinct literal bytes plus one byte used by none
}

func buildWildcardNFA(ws []*wildcard) *wnfa {
	n := &wnfa{}
	used := map[byte]bool{}
	for _, w := range ws {
		for i, seg := range w.segs {
			if i > 0 {
				n.toks = append(n.toks, -1)
			}
			for _, c := range seg {
				n.toks = append(n.toks, int16(c))
				used[c] = true
			}
		}
		n.toks = append(n.toks, -2)
	}
	for c := range 256 {
		if used[byte(c)] {
			n.alphabet = append(n.alphabet, int16(c))
		}
	}
	for c := range 256 {
		if !used[byte(c)] {
			n.alphabet = append(n.alphabet, int16(c))
			break
		}
	}
	return n
}

// closure adds the pattern starts (every position after a -2 or 0) to set,
// then follows '*' epsilon moves.
func (n *wnfa) closure(set []int) []int {
	if len(set) == 0 {
		set = append(set, 0)
		for i, t := range n.toks {
			if t == -2 && i+1 < len(n.toks) {
				set = append(set, i+1)
			}
		}
	}
	in := map[int]bool{}
	for _, p := range set {
		in[p] = true
	}
	for i := 0; i < len(set); i++ {
		if p := set[i]; n.toks[p] == -1 && !in[p+1] {
			in[p+1] = true
			set = append(set, p+1)
		}
	}
	return sortedInts(in)
}

func (n *wnfa) step(set []int, b int16) []int {
	var next []int
	for _, p := range set {
		switch t := n.toks[p]; {
		case t == -1:
			next = append(next, p)
		case t == b:
			next = append(next, p+1)
		}
	}
	if len(next) == 0 {
		return nil
	}
	return n.closure(next)
}

func (n *wnfa) weight(set []int) int {
	w := 0
	for _, p := range set {
		if n.toks[p] != -2 {
			w++
		}
	}
	return w
}

func sortedInts(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func setKey(set []int) string {
	b := make([]byte, 0, len(set)*3)
	for _, p := range set {
		b = strconv.AppendInt(b, int64(p), 10)
		b = append(b, ',')
	}
	return string(b)
}
