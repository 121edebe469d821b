package flow

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/store/sqlite"
)

// validationCase is a corpus case of kind "validation".
type validationCase struct {
	ID             string          `json:"id"`
	API            string          `json:"api"`
	Definition     json.RawMessage `json:"definition"`
	DefinitionText *string         `json:"definitionText"`
	Request        struct {
		Type                 string          `json:"type"`
		LoggingConfiguration json.RawMessage `json:"loggingConfiguration"`
		Publish              bool            `json:"publish"`
		VersionDescription   string          `json:"versionDescription"`
	} `json:"request"`
	Expect struct {
		ErrorCode    string `json:"errorCode"`
		ErrorMessage string `json:"errorMessage"`
	} `json:"expect"`
}

// corpusDir finds the Step Functions corpus, as the engine's harness does.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("FOGBANK_CONFORMANCE_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "conformance")
	}
	sf := filepath.Join(dir, "stepfunctions")
	if _, err := os.Stat(sf); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("conformance corpus not found at %s (set FOGBANK_CONFORMANCE_DIR)", sf)
		}
		t.Skipf("conformance corpus not found at %s", sf)
	}
	return sf
}

// TestCreateStateMachineConformance runs the corpus's CreateStateMachine
// error cases through the service and compares AWS's code and message.
func TestCreateStateMachineConformance(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(corpusDir(t), "validation", "*.json"))
	require.NoError(t, err)
	st, err := sqlite.Open(":memory:")
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	s := New(Config{Store: st})
	require.NoError(t, s.Start(t.Context()))
	t.Cleanup(s.Stop)
	caller := Caller{Account: "000000000000", Region: "us-east-1"}
	ran := 0
	for i, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		var c validationCase
		require.NoError(t, json.Unmarshal(raw, &c))
		if c.API != "CreateStateMachine" || c.Expect.ErrorCode == "" {
			continue
		}
		def := string(c.Definition)
		if c.DefinitionText != nil {
			def = *c.DefinitionText
		}
		def = tokens.Replace(def)
		if len(c.Definition) == 0 || string(c.Definition) == "null" {
			def = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
		}
		name := "sm" + strings.Repeat("x", i%3) + filepath.Base(f)[:8]
		name = strings.Map(func(r rune) rune {
			if r == '.' || r == '-' {
				return '_'
			}
			return r
		}, name)
		in := CreateStateMachineInput{
			Caller: caller, Name: name, Type: c.Request.Type, Publish: c.Request.Publish, VersionDescription: c.Request.VersionDescription,
			Config: StateMachineConfig{Definition: def, RoleArn: "arn:aws:iam::000000000000:role/r", Logging: c.Request.LoggingConfiguration},
		}
		if c.Expect.ErrorCode == "StateMachineAlreadyExists" {
			first := in
			first.Config.Definition = `{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}`
			_, err := s.CreateStateMachine(t.Context(), first)
			require.NoError(t, err)
		}
		_, err = s.CreateStateMachine(t.Context(), in)
		var fe *Error
		require.ErrorAs(t, err, &fe, c.ID)
		require.Equal(t, c.Expect.ErrorCode, awsCode(fe.Code), c.ID)
		msg := strings.NewReplacer("arn:aws:", "arn:<partition>:", "us-east-1", "<region>", "000000000000", "111111111111", name, "<ArnPart_0idx>").Replace(fe.Message)
		require.Equal(t, c.Expect.ErrorMessage, msg, c.ID)
		ran++
	}
	require.Positive(t, ran)
}

// tokens stands resources in for the corpus's placeholders.
var tokens = strings.NewReplacer(
	"${Activity1Arn}", "arn:aws:states:us-east-1:000000000000:activity:act1",
	"${Lambda1Arn}", "arn:aws:lambda:us-east-1:000000000000:function:fn1",
	"${AWS::Region}", "us-east-1", "${AWS::AccountId}", "000000000000",
)

// awsCode names the exception of a code for the comparison (the wire
// layer's table is the authority; this covers the corpus's codes).
func awsCode(c Code) string {
	return map[Code]string{
		CodeValidation: "ValidationException", CodeInvalidDefinition: "InvalidDefinition",
		CodeInvalidLoggingConfiguration: "InvalidLoggingConfiguration", CodeStateMachineAlreadyExists: "StateMachineAlreadyExists",
		CodeInvalidName: "InvalidName", CodeInvalidArn: "InvalidArn",
	}[c]
}

// TestValidateDefinitionConformance compares ValidateStateMachineDefinition
// with the corpus's recorded results.
func TestValidateDefinitionConformance(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(corpusDir(t), "validation", "*.json"))
	require.NoError(t, err)
	s := New(Config{})
	ran := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		var c struct {
			validationCase
			Expect struct {
				Result      string `json:"result"`
				Diagnostics []struct {
					Code, Message, Location, Severity string
				} `json:"diagnostics"`
			} `json:"expect"`
		}
		require.NoError(t, json.Unmarshal(raw, &c))
		if c.API != "ValidateStateMachineDefinition" {
			continue
		}
		def := string(c.Definition)
		if c.DefinitionText != nil {
			def = *c.DefinitionText
		}
		result, diags, _, err := s.ValidateStateMachineDefinition(t.Context(), ValidateDefinitionInput{Definition: def, Type: c.Request.Type})
		require.NoError(t, err)
		require.Equal(t, c.Expect.Result, result, c.ID)
		require.Len(t, diags, len(c.Expect.Diagnostics), c.ID)
		for i, d := range c.Expect.Diagnostics {
			require.Equal(t, d.Code, diags[i].Code, c.ID)
			require.Equal(t, d.Message, diags[i].Message, c.ID)
			require.Equal(t, d.Location, diags[i].Location, c.ID)
			require.Equal(t, d.Severity, diags[i].Severity, c.ID)
		}
		ran++
	}
	require.Positive(t, ran)
}
