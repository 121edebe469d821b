package engine_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// corpusCase is one file of the AWS-recorded conformance corpus.
type corpusCase struct {
	ID               string          `json:"id"`
	Kind             string          `json:"kind"`
	API              string          `json:"api"`
	Definition       json.RawMessage `json:"definition"`
	DefinitionText   *string         `json:"definitionText"`
	Input            json.RawMessage `json:"input"`
	InputText        *string         `json:"inputText"`
	StateMachineType string          `json:"stateMachineType"`
	StartedVia       string          `json:"startedVia"`
	Request          json.RawMessage `json:"request"`
	Needs            []string        `json:"needs"`
	ExpectError      bool            `json:"expectError"`
	Expect           map[string]any  `json:"expect"`
	Normalisation    struct {
		Transformers            []map[string]any `json:"transformers"`
		ParallelEventsUnordered bool             `json:"parallelEventsUnordered"`
		UnverifiedPaths         []string         `json:"unverifiedPaths"`
	} `json:"normalisation"`
	file string
}

// corpusDir finds stepfunctions/ in $FOGBANK_CONFORMANCE_DIR or in
// ../shared/conformance next to the directory holding go.mod.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("FOGBANK_CONFORMANCE_DIR")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(d, "..", "shared", "conformance")
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	sf := filepath.Join(dir, "stepfunctions")
	if _, err := os.Stat(sf); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("conformance corpus not found at %s (set FOGBANK_CONFORMANCE_DIR)", sf)
		}
		t.Skipf("conformance corpus not found at %s (set FOGBANK_CONFORMANCE_DIR)", sf)
	}
	return sf
}

func loadCases(t *testing.T, dir, kind string) []*corpusCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, kind, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	out := make([]*corpusCase, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c := &corpusCase{file: f}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber()
		if err := dec.Decode(c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, c)
	}
	return out
}

func (c *corpusCase) needsNone() bool { return len(c.Needs) == 1 && c.Needs[0] == "none" }

// category groups cases for the summary table.
func (c *corpusCase) category() string {
	id := strings.TrimPrefix(c.ID, "tests/aws/services/stepfunctions/v2/")
	mod, _, _ := strings.Cut(id, "::")
	if i := strings.Index(mod, "/"); i >= 0 {
		return mod[:i]
	}
	return strings.TrimSuffix(mod, ".py")
}

// values of our resources, substituted for the corpus tokens.
const (
	testAccount = "111111111111"
	testRegion  = "us-east-1"
	testRoleArn = "arn:aws:iam::111111111111:role/fogbank-sfn-role"
	testSMName  = "FogbankMachine"
)

var tokenRe = regexp.MustCompile(`\$\{([A-Za-z0-9:]+)\}`)

// tokenValue returns our concrete value for a token, execName included.
func tokenValue(tok, execName string) string {
	switch {
	case tok == "RoleArn":
		return testRoleArn
	case tok == "AWS::Region":
		return testRegion
	case tok == "AWS::AccountId":
		return testAccount
	case strings.HasPrefix(tok, "StateMachine") && strings.HasSuffix(tok, "Name"):
		return testSMName + strings.TrimSuffix(strings.TrimPrefix(tok, "StateMachine"), "Name")
	case strings.HasPrefix(tok, "StateMachine") && strings.HasSuffix(tok, "Arn"):
		return "arn:aws:states:" + testRegion + ":" + testAccount + ":stateMachine:" + tokenValue(strings.TrimSuffix(tok, "Arn")+"Name", execName)
	case strings.HasPrefix(tok, "Execution") && strings.HasSuffix(tok, "Name"):
		return "FogbankExecution" + strings.TrimSuffix(strings.TrimPrefix(tok, "Execution"), "Name")
	case strings.HasPrefix(tok, "Activity") && strings.HasSuffix(tok, "Arn"):
		return "arn:aws:states:" + testRegion + ":" + testAccount + ":activity:fogbank-" + strings.TrimSuffix(tok, "Arn")
	case strings.HasPrefix(tok, "Lambda") && strings.HasSuffix(tok, "Arn"):
		return "arn:aws:lambda:" + testRegion + ":" + testAccount + ":function:fogbank-" + strings.TrimSuffix(tok, "Arn")
	case strings.HasPrefix(tok, "ShortUid"):
		return "uid" + strings.TrimPrefix(tok, "ShortUid")
	}
	return "${" + tok + "}"
}

func substitute(s, execName string) string {
	return tokenRe.ReplaceAllStringFunc(s, func(m string) string {
		return tokenValue(m[2:len(m)-1], execName)
	})
}

// definitionText returns the case's definition as sent, tokens replaced.
func (c *corpusCase) definitionText() string {
	if c.DefinitionText != nil {
		return substitute(*c.DefinitionText, "")
	}
	return substitute(string(c.Definition), "")
}

func (c *corpusCase) inputText() string {
	if c.InputText != nil && string(c.Input) != "null" {
		return substitute(*c.InputText, "")
	}
	return "{}"
}

// execIndex finds which of the test's executions this case recorded.
func (c *corpusCase) execIndex() int {
	b, _ := json.Marshal(c.Expect)
	m := regexp.MustCompile(`<ExecArnPart_(\d+)idx>`).FindSubmatch(b)
	if m == nil {
		return 1
	}
	var n int
	fmt.Sscan(string(m[1]), &n)
	return n + 1
}
