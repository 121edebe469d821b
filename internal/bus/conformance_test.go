package bus

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// transformerCase is one case of events-input-transformers (see the corpus
// README §2).
type transformerCase struct {
	ID        string          `json:"id"`
	Event     json.RawMessage `json:"event"`
	Target    Target          `json:"target"`
	Context   map[string]string
	Expect    string `json:"expect"`
	Delivered struct {
		Kind string          `json:"kind"`
		Body json.RawMessage `json:"body"`
	} `json:"delivered"`
	IgnorePaths []string `json:"ignore_paths"`
	Error       struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func conformanceDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("FOGBANK_CONFORMANCE_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "conformance")
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("conformance corpus not found at %s", dir)
		}
		t.Skipf("conformance corpus not found at %s (set FOGBANK_CONFORMANCE_DIR)", dir)
	}
	return dir
}

func TestConformanceInputTransformers(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(conformanceDir(t), "events-input-transformers", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		var c transformerCase
		require.NoError(t, json.Unmarshal(raw, &c), f)
		t.Run(c.ID, func(t *testing.T) {
			t.Parallel()
			runTransformerCase(t, c)
		})
	}
}

func runTransformerCase(t *testing.T, c transformerCase) {
	err := validateTarget(c.Target, 1)
	if c.Expect == "put-targets-error" {
		var be *Error
		require.ErrorAs(t, err, &be)
		require.Equal(t, CodeValidation, be.Code)
		require.Equal(t, strings.ReplaceAll(c.Error.Message, "<target-id>", c.Target.ID), be.Message)
		return
	}
	require.NoError(t, err)
	rc := renderContext{RuleArn: c.Context["aws.events.rule-arn"], RuleName: c.Context["aws.events.rule-name"], IngestionTime: c.Context["aws.events.event.ingestion-time"]}
	got, ok := renderInput(c.Target, c.Event, rc)
	if c.Expect == "no-delivery" {
		require.False(t, ok, "delivered %s", got)
		return
	}
	require.True(t, ok)
	if c.Delivered.Kind == "text" {
		var want string
		require.NoError(t, json.Unmarshal(c.Delivered.Body, &want))
		require.Equal(t, want, string(got))
		return
	}
	var wantV, gotV any
	require.NoError(t, json.Unmarshal(c.Delivered.Body, &wantV))
	require.NoError(t, json.Unmarshal(got, &gotV), "%s", got)
	for _, p := range c.IgnorePaths {
		removePath(wantV, p)
		removePath(gotV, p)
	}
	require.Equal(t, wantV, gotV)
}

func removePath(v any, path string) {
	parts := strings.Split(strings.TrimPrefix(path, "$."), ".")
	for i, p := range parts {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		if i == len(parts)-1 {
			delete(m, p)
			return
		}
		v = m[p]
	}
}
