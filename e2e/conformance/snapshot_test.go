package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// M is a botocore-shaped response (or request parameters).
type M = map[string]any

// recording is one snapshot file with its validation file.
type recording struct {
	cases     map[string]json.RawMessage // node id -> {"recorded-content": ...}
	validated map[string]json.RawMessage
}

var (
	recMu      sync.Mutex
	recordings = map[string]*recording{}
)

// conformanceDir finds the data folder: $FOGBANK_CONFORMANCE_DIR or
// ../shared/conformance relative to the directory holding go.mod.
func conformanceDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("FOGBANK_CONFORMANCE_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "conformance")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// loadRecording reads raw-snapshots/<service>/<name>.{snapshot,validation}.json
// once.
func loadRecording(t *testing.T, service, name string) *recording {
	t.Helper()
	recMu.Lock()
	defer recMu.Unlock()
	key := service + "/" + name
	if r, ok := recordings[key]; ok {
		return r
	}
	base := filepath.Join(conformanceDir(t), "raw-snapshots", service, name)
	if _, err := os.Stat(base + ".snapshot.json"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("conformance data missing at %s (set FOGBANK_CONFORMANCE_DIR): %v", base, err)
		}
		t.Skipf("conformance data not found at %s; set FOGBANK_CONFORMANCE_DIR", base)
	}
	r := &recording{}
	for file, dst := range map[string]*map[string]json.RawMessage{".snapshot.json": &r.cases, ".validation.json": &r.validated} {
		b, err := os.ReadFile(base + file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatalf("%s%s: %v", base, file, err)
		}
	}
	recordings[key] = r
	return r
}

// recorded returns the recorded content of a validated case.
func recorded(t *testing.T, service, file, id string) M {
	t.Helper()
	r := loadRecording(t, service, file)
	full := "tests/aws/services/" + service + "/" + file + ".py::" + id
	if _, ok := r.validated[full]; !ok {
		t.Fatalf("%s is not validated against AWS", full)
	}
	raw, ok := r.cases[full]
	if !ok {
		return M{}
	}
	var c struct {
		Content M `json:"recorded-content"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c.Content
}

// transformer is one localstack-snapshot transformer; priority orders them.
type transformer struct {
	priority int
	apply    func(s *snapshot, state []*entry)
}

type entry struct {
	key   string
	value any
}

// snapshot collects snapshot.match calls and normalises them like
// localstack_snapshot.SnapshotSession._transform.
type snapshot struct {
	entries      []*entry
	transformers []transformer
	skipPaths    []string
	replacements []func(string) string
	registered   map[string]bool
	scopes       map[string]int
}

// newSnapshot starts a snapshot with the service fixture's transformers
// (api: sqsAPI or snsAPI) and the account, region and basic ones of
// tests/aws/conftest.py.
func newSnapshot(account, region string, api func(*snapshot)) *snapshot {
	s := &snapshot{registered: map[string]bool{}, scopes: map[string]int{}}
	api(s)
	// tests/aws/conftest.py: account, region, partition, basic transformers (priority 2).
	s.regex(2, regexp.QuoteMeta(account), "111111111111")
	s.regex(2, regexp.QuoteMeta(region), "<region>")
	s.regex(2, regexp.QuoteMeta("arn:aws:"), "arn:<partition>:")
	s.keyValueFn(2, func(k string, v any) (string, bool) {
		str, ok := v.(string)
		if ok && strings.HasSuffix(strings.ToLower(k), "id") && patternUUID.MatchString(str) {
			return str, true
		}
		return "", false
	}, "uuid")
	s.regex(2, patternISO8601.String(), "date")
	s.add(2, func(_ *snapshot, st []*entry) {
		for _, e := range st {
			e.value = replaceTimestamps(e.value)
		}
	})
	return s
}

// sqsAPI is sqs_api(), added by test_sqs.py's autouse fixture (priority 0).
func sqsAPI(s *snapshot) {
	for _, kv := range [][2]string{{"ReceiptHandle", "receipt-handle"}, {"TaskHandle", "task-handle"}, {"SenderId", "sender-id"}, {"SequenceNumber", "sequence-number"}} {
		s.keyValue(kv[0], kv[1])
	}
	s.add(0, func(s *snapshot, st []*entry) {
		for _, e := range st {
			walkDicts(e.value, func(d M) {
				if ma, ok := d["MessageAttributes"].(M); ok {
					if rid, ok := ma["RequestID"].(M); ok {
						if v, ok := rid["StringValue"].(string); ok {
							s.reference(v, "request-id")
						}
					}
				}
			})
		}
	})
	s.keyValueFn(0, resourceName, "resource")
}

// snsAPI is sns_api(), added by test_sns.py's autouse fixture (priority 0).
func snsAPI(s *snapshot) {
	s.keyValue("ReceiptHandle", "receipt-handle")
	s.keyValue("SequenceNumber", "sequence-number")
	s.literal("Signature", "<signature>")
	s.literal("MD5OfBody", "<md5-hash>")
	s.literal("SenderId", "<sender-id>")
	s.keyValueFn(0, func(k string, v any) (string, bool) {
		str, ok := v.(string)
		if !ok || !strings.EqualFold(k, "SigningCertURL") {
			return "", false
		}
		m := pemFile.FindStringSubmatch(str)
		if m == nil {
			return "", false
		}
		return m[1], true
	}, "signing-cert-file")
	s.regex(0, `(?i)(SigningCertURL["|']:\s?["|'])(https?.*?)(/SimpleNotificationService-)`, `\1<cert-domain>\3`)
	s.regex(0, `(?i)(UnsubscribeURL["|']:\s?["|'])(https?.*?)(/\?Action=Unsubscribe)`, `\1<unsubscribe-domain>\3`)
	s.keyValueFn(0, resourceName, "resource")
	s.keyValueFn(0, func(k string, v any) (string, bool) {
		str, ok := v.(string)
		if !ok || !strings.EqualFold(k, "UnsubscribeURL") {
			return "", false
		}
		i := strings.Index(str, "?Action=Unsubscribe&SubscriptionArn=")
		if i < 0 {
			return "", false
		}
		rest := str[i:]
		return rest[strings.LastIndex(rest, ":")+1:], true
	}, "resource")
}

var (
	patternUUID    = regexp.MustCompile(`^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}`)
	patternARN     = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*)?:([a-zA-Z0-9-_.]+)?:([^:]+)?:(\d{12})?:(.*)`)
	patternISO8601 = regexp.MustCompile(`(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-][01]\d:?([0-5]\d)?)`)
	pemFile        = regexp.MustCompile(`.*SimpleNotificationService-(.*\.pem)`)
	timestampKey   = regexp.MustCompile(`(?i)^.*timestamp.*$`)
)

// resourceName is transformer_utility._resource_name_transformer.
func resourceName(_ string, v any) (string, bool) {
	str, ok := v.(string)
	if !ok {
		return "", false
	}
	m := patternARN.FindStringSubmatch(str)
	if m == nil {
		return "", false
	}
	res := m[5]
	switch {
	case strings.HasPrefix(res, "<") && strings.HasSuffix(res, ">"):
		return "", false
	case strings.Contains(res, "/"):
		return res[strings.LastIndex(res, "/")+1:], true
	case strings.Contains(res, ":"):
		return res[strings.LastIndex(res, ":")+1:], true
	}
	return res, true
}

func replaceTimestamps(v any) any {
	switch x := v.(type) {
	case M:
		for _, k := range sortedKeys(x) {
			if timestampKey.MatchString(k) {
				if str, ok := x[k].(string); !ok || !patternISO8601.MatchString(str) || patternISO8601.FindStringIndex(str)[0] != 0 {
					x[k] = "timestamp"
				}
				continue
			}
			x[k] = replaceTimestamps(x[k])
		}
	case []any:
		for i, e := range x {
			if d, ok := e.(M); ok {
				x[i] = replaceTimestamps(d)
			}
		}
	}
	return v
}

func (s *snapshot) add(priority int, f func(*snapshot, []*entry)) {
	s.transformers = append(s.transformers, transformer{priority, f})
}

// keyValue is TransformerUtility.key_value(key, replacement).
func (s *snapshot) keyValue(key, replacement string) {
	s.keyValueFn(0, func(k string, v any) (string, bool) {
		str, ok := v.(string)
		return str, ok && k == key && str != ""
	}, replacement)
}

// keyValueFn is a reference-replacing KeyValueBasedTransformer.
func (s *snapshot) keyValueFn(priority int, match func(string, any) (string, bool), replacement string) {
	s.add(priority, func(s *snapshot, st []*entry) {
		for _, e := range st { // the top level is a dict in match order
			if ref, ok := match(e.key, e.value); ok {
				s.reference(ref, replacement)
				continue
			}
			s.walkKV(e.value, match, replacement)
		}
	})
}

func (s *snapshot) walkKV(v any, match func(string, any) (string, bool), replacement string) {
	switch x := v.(type) {
	case M:
		for _, k := range sortedKeys(x) {
			if ref, ok := match(k, x[k]); ok {
				s.reference(ref, replacement)
				continue
			}
			switch x[k].(type) {
			case M, []any:
				s.walkKV(x[k], match, replacement)
			}
		}
	case []any:
		for _, e := range x {
			if d, ok := e.(M); ok {
				s.walkKV(d, match, replacement)
			}
		}
	}
}

// reference registers a serialized reference replacement <name:N>.
func (s *snapshot) reference(value, name string) {
	if value == "" || s.registered[value] {
		return
	}
	s.registered[value] = true
	s.scopes[name]++
	token := fmt.Sprintf("<%s:%d>", name, s.scopes[name])
	enc := jsonString(value)
	enc = enc[1 : len(enc)-1]
	s.replacements = append(s.replacements, func(in string) string { return strings.ReplaceAll(in, enc, token) })
}

// regex is a RegexTransformer applied to the serialized state.
func (s *snapshot) regex(priority int, pattern, replacement string) {
	re := regexp.MustCompile(pattern)
	repl := pythonReplacement(replacement)
	s.add(priority, func(s *snapshot, _ []*entry) {
		s.replacements = append(s.replacements, func(in string) string { return re.ReplaceAllString(in, repl) })
	})
}

// pythonReplacement turns \1 group references into Go's ${1}.
func pythonReplacement(r string) string {
	r = strings.ReplaceAll(r, "$", "$$")
	return regexp.MustCompile(`\\(\d)`).ReplaceAllString(r, "$${$1}")
}

// literal is TransformerUtility.key_value(key, replacement,
// reference_replacement=False): the value itself is replaced.
func (s *snapshot) literal(key, replacement string) {
	s.add(0, func(_ *snapshot, st []*entry) {
		for _, e := range st {
			walkDicts(e.value, func(d M) {
				if str, ok := d[key].(string); ok && str != "" {
					d[key] = replacement
				}
			})
		}
	})
}

// dropErrorDetail is test_sqs.py's _add_error_detail_transformer.
func (s *snapshot) dropErrorDetail() {
	s.add(0, func(_ *snapshot, st []*entry) {
		for _, e := range st {
			if d, ok := e.value.(M); ok {
				if er, ok := d["Error"].(M); ok {
					delete(er, "Detail")
				}
			}
		}
	})
}

// skip adds skip_snapshot_verify paths ("$..A.B", "$..A..B").
func (s *snapshot) skip(paths ...string) { s.skipPaths = append(s.skipPaths, paths...) }

func (s *snapshot) match(key string, v any) {
	s.entries = append(s.entries, &entry{key, deepCopy(v)})
}

// transformed returns the normalised state, key by key.
func (s *snapshot) transformed() map[string]any {
	for _, e := range s.entries {
		e.value = parseJSONStrings(e.value)
	}
	ts := slices.Clone(s.transformers)
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].priority < ts[j].priority })
	for _, tr := range ts {
		tr.apply(s, s.entries)
	}
	out := map[string]any{}
	for _, e := range s.entries {
		for _, p := range s.skipPaths {
			removePath(e.value, p)
			removePath(M{e.key: e.value}, p) // "$.key.A" paths name the match key
		}
		str := jsonString(e.value)
		for _, r := range s.replacements {
			str = r(str)
		}
		var v any
		if err := json.Unmarshal([]byte(str), &v); err != nil {
			panic(err)
		}
		out[e.key] = v
	}
	return out
}

// verify compares every matched key with the recording, like _assert_all.
func (s *snapshot) verify(t *testing.T, want M) {
	t.Helper()
	got := s.transformed()
	for _, p := range s.skipPaths {
		removePath(any(want), p)
	}
	var diffs []string
	for _, e := range s.entries {
		w, ok := want[e.key]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("$.%s: not in the recording", e.key))
			continue
		}
		diffs = append(diffs, diff("$."+e.key, w, got[e.key])...)
	}
	for k := range want {
		if !slices.ContainsFunc(s.entries, func(e *entry) bool { return e.key == k }) {
			t.Logf("recorded key %q was not matched", k)
		}
	}
	if len(diffs) > 0 {
		t.Errorf("snapshot mismatch (expected → actual):\n%s\nactual: %s", strings.Join(diffs, "\n"), jsonString(got))
	}
}

func diff(path string, want, got any) []string {
	switch w := want.(type) {
	case M:
		g, ok := got.(M)
		if !ok {
			return []string{fmt.Sprintf("%s: %s → %s", path, jsonString(want), jsonString(got))}
		}
		var out []string
		keys := sortedKeys(w)
		for k := range g {
			if _, ok := w[k]; !ok {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			wv, wok := w[k]
			gv, gok := g[k]
			switch {
			case !wok:
				out = append(out, fmt.Sprintf("%s.%s: unexpected %s", path, k, jsonString(gv)))
			case !gok:
				out = append(out, fmt.Sprintf("%s.%s: missing (expected %s)", path, k, jsonString(wv)))
			default:
				out = append(out, diff(path+"."+k, wv, gv)...)
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: %s → %s", path, jsonString(want), jsonString(got))}
		}
		var out []string
		for i := range w {
			out = append(out, diff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		return out
	}
	if jsonString(want) != jsonString(got) {
		return []string{fmt.Sprintf("%s: %s → %s", path, jsonString(want), jsonString(got))}
	}
	return nil
}

// removePath deletes the keys a "$..A.B" / "$..A..B" path names.
func removePath(v any, path string) {
	steps := parsePath(strings.TrimPrefix(path, "$"))
	removeSteps(v, steps)
}

type step struct {
	key  string
	deep bool
}

func parsePath(p string) []step {
	var out []step
	for p != "" {
		deep := strings.HasPrefix(p, "..")
		p = strings.TrimLeft(p, ".")
		end := strings.IndexByte(p, '.')
		if end < 0 {
			end = len(p)
		}
		out = append(out, step{p[:end], deep})
		p = p[end:]
	}
	return out
}

func removeSteps(v any, steps []step) {
	if len(steps) == 0 {
		return
	}
	st := steps[0]
	switch x := v.(type) {
	case M:
		if child, ok := x[st.key]; ok {
			if len(steps) == 1 {
				delete(x, st.key)
			} else {
				removeSteps(child, steps[1:])
			}
		}
		if st.deep {
			for _, c := range x {
				removeSteps(c, steps)
			}
		}
	case []any:
		for _, c := range x {
			removeSteps(c, steps)
		}
	}
}

// parseJSONStrings is _transform_dict_to_parseable_values.
func parseJSONStrings(v any) any {
	switch x := v.(type) {
	case M:
		for k, c := range x {
			switch cv := c.(type) {
			case M:
				parseJSONStrings(cv)
			case []any:
				for _, it := range cv {
					if d, ok := it.(M); ok {
						parseJSONStrings(d)
					}
				}
			case string:
				if strings.HasPrefix(cv, "{") {
					var parsed any
					if json.Unmarshal([]byte(cv), &parsed) == nil {
						x[k] = parsed
					}
				}
			}
		}
	case []any:
		for _, it := range x {
			if d, ok := it.(M); ok {
				parseJSONStrings(d)
			}
		}
	}
	return v
}

func walkDicts(v any, f func(M)) {
	switch x := v.(type) {
	case M:
		f(x)
		for _, c := range x {
			walkDicts(c, f)
		}
	case []any:
		for _, c := range x {
			walkDicts(c, f)
		}
	}
}

func sortedKeys(m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func jsonString(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func deepCopy(v any) any {
	var out any
	if err := json.Unmarshal([]byte(jsonString(v)), &out); err != nil {
		panic(err)
	}
	return out
}
