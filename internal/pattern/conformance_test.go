package pattern

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// conformanceDir finds the AWS-recorded conformance corpus: env
// FOGBANK_CONFORMANCE_DIR, else ../shared/conformance next to the repository.
// It skips the test when the folder is absent (and fails when CI=true).
func conformanceDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("FOGBANK_CONFORMANCE_DIR")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "..", "shared", "conformance")
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("conformance corpus not found at %s", dir)
		}
		t.Skipf("conformance corpus not found at %s (set FOGBANK_CONFORMANCE_DIR)", dir)
	}
	return dir
}

func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

type caseError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type patternCase struct {
	ID         string     `json:"id"`
	API        string     `json:"api"`
	EventRaw   string     `json:"event_raw"`
	PatternRaw string     `json:"pattern_raw"`
	Expect     string     `json:"expect"`
	Error      *caseError `json:"error"`
}

type policyCase struct {
	ID                string               `json:"id"`
	Kind              string               `json:"kind"`
	API               string               `json:"api"`
	Attribute         string               `json:"attribute"`
	FilterPolicyRaw   string               `json:"filter_policy_raw"`
	Scope             string               `json:"scope"`
	Message           string               `json:"message"`
	MessageAttributes map[string]Attribute `json:"message_attributes"`
	Expect            string               `json:"expect"`
	Error             *caseError           `json:"error"`
}

func loadCases[T any](t *testing.T, dir string) []T {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := make([]T, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var c T
		require.NoError(t, json.Unmarshal(b, &c), f)
		out = append(out, c)
	}
	return out
}

func TestConformanceEventPatterns(t *testing.T) {
	t.Parallel()
	dir := conformanceDir(t)
	for _, c := range loadCases[patternCase](t, filepath.Join(dir, "events-patterns")) {
		t.Run(c.ID, func(t *testing.T) {
			t.Parallel()
			got, err := Test([]byte(c.PatternRaw), []byte(c.EventRaw))
			if c.Expect == "invalid" {
				requireAWSError(t, err, c.Error.Code, c.Error.Message)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.Expect == "match", got)
		})
	}
}

func requireAWSError(t *testing.T, err error, code, message string) {
	t.Helper()
	var e *Error
	require.True(t, errors.As(err, &e), "want %s error, got %v", code, err)
	require.Equal(t, code, e.Code)
	require.Equal(t, message, e.Message)
}

func TestConformanceFilterPolicies(t *testing.T) {
	t.Parallel()
	dir := conformanceDir(t)
	for _, c := range loadCases[policyCase](t, filepath.Join(dir, "sns-filter-policies")) {
		t.Run(c.ID, func(t *testing.T) {
			t.Parallel()
			if c.Kind == "delivery" {
				runDeliveryCase(t, c)
				return
			}
			runPolicyValidationCase(t, c)
		})
	}
}

func runDeliveryCase(t *testing.T, c policyCase) {
	p, err := CompileFilterPolicy([]byte(c.FilterPolicyRaw), Scope(c.Scope))
	require.NoError(t, err)
	var got bool
	if Scope(c.Scope) == ScopeMessageBody {
		got = p.MatchBody([]byte(c.Message))
	} else {
		got = p.MatchAttributes(c.MessageAttributes)
	}
	require.Equal(t, c.Expect == "delivered", got)
}

func runPolicyValidationCase(t *testing.T, c policyCase) {
	var err error
	if c.Attribute == "FilterPolicyScope" {
		_, err = ParseScope(c.Scope)
	} else {
		_, err = CompileFilterPolicy([]byte(c.FilterPolicyRaw), Scope(c.Scope))
	}
	if c.Expect == "valid" {
		require.NoError(t, err)
		return
	}
	msg := c.Error.Message
	for _, prefix := range []string{"Invalid parameter: Attributes Reason: ", "Invalid parameter: "} {
		if strings.HasPrefix(msg, prefix) {
			msg = msg[len(prefix):]
			break
		}
	}
	requireAWSError(t, err, c.Error.Code, msg)
}
