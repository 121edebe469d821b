package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/fogbank/fogbank/internal/flow/engine"
)

// testStateRequest is the request of a test_state case.
type testStateRequest struct {
	Definition      json.RawMessage `json:"definition"`
	StateName       *string         `json:"stateName"`
	RoleArn         string          `json:"roleArn"`
	Input           json.RawMessage `json:"input"`
	InspectionLevel string          `json:"inspectionLevel"`
	Variables       json.RawMessage `json:"variables"`
	Context         json.RawMessage `json:"context"`
	Mock            *struct {
		Result      *string `json:"result"`
		ErrorOutput *struct {
			Error string `json:"error"`
			Cause string `json:"cause"`
		} `json:"errorOutput"`
		FieldValidationMode string `json:"fieldValidationMode"`
	} `json:"mock"`
	StateConfiguration struct {
		RetrierRetryCount        *int   `json:"retrierRetryCount"`
		ErrorCausedByState       string `json:"errorCausedByState"`
		MapIterationFailureCount *int   `json:"mapIterationFailureCount"`
		MapItemReaderData        string `json:"mapItemReaderData"`
	} `json:"stateConfiguration"`
}

func rawText(m json.RawMessage) string {
	if len(m) == 0 || string(m) == "null" {
		return ""
	}
	return substitute(string(m), "")
}

// longUIDRe is how the corpus writes a value its test made with
// LocalStack's long_uid() (a UUID, which normalisation then replaces).
var longUIDRe = regexp.MustCompile(`\$\{ShortUid\d+\}-long`)

const longUID = "0f8a3d5e-6b1c-4e2f-9a7d-3c5b8e1f2a4d"

// testStateInput turns a case's request into the engine's input.
func testStateInput(req testStateRequest) engine.TestStateInput {
	in := engine.TestStateInput{
		Definition:      rawText(req.Definition),
		StateName:       req.StateName,
		RoleArn:         substitute(req.RoleArn, ""),
		Input:           rawText(req.Input),
		InspectionLevel: req.InspectionLevel,
		Variables:       rawText(req.Variables),
		Context:         rawText(req.Context),
		Config: engine.TestStateConfig{
			RetrierRetryCount:        req.StateConfiguration.RetrierRetryCount,
			ErrorCausedByState:       req.StateConfiguration.ErrorCausedByState,
			MapIterationFailureCount: req.StateConfiguration.MapIterationFailureCount,
			MapItemReaderData:        req.StateConfiguration.MapItemReaderData,
		},
	}
	if req.Mock != nil {
		in.Mock = &engine.TestMock{FieldValidationMode: req.Mock.FieldValidationMode}
		if req.Mock.Result != nil {
			r := substitute(longUIDRe.ReplaceAllString(*req.Mock.Result, longUID), "")
			in.Mock.Result = &r
		}
		if eo := req.Mock.ErrorOutput; eo != nil {
			in.Mock.ErrorOutput = &engine.MockError{Error: eo.Error, Cause: eo.Cause}
		}
	}
	return in
}

// runTestState runs a test_state case; skip reports client-side checks.
func runTestState(c *corpusCase) (string, bool) {
	var req testStateRequest
	if err := json.Unmarshal(c.Request, &req); err != nil {
		return "bad request: " + err.Error(), false
	}
	in := testStateInput(req)
	resp, _ := c.Expect["response"].(map[string]any)
	if resp["exception_typename"] == "ParamValidationError" {
		return "client-side parameter validation", true
	}
	out, err := engine.TestState(context.Background(), testConfig(), in)
	if err != nil {
		return compareRequestError(c, resp, err), false
	}
	if c.ExpectError {
		return "accepted; want an error: " + encodeJSON(resp), false
	}
	got := normalise(c, testStateDoc(out), "")
	want := map[string]any{}
	for k, v := range resp {
		if k != "ResponseMetadata" {
			want[k] = v
		}
	}
	wd := map[string]any{"d": want}
	gd := map[string]any{"d": got}
	decodeTextFields(wd)
	decodeTextFields(gd)
	for _, p := range c.Normalisation.UnverifiedPaths {
		del := func(m map[string]any, k string) { delete(m, k) }
		applyPath(wd, p, del)
		applyPath(gd, p, del)
	}
	if !resourceEqual(c, want, got) {
		return fmt.Sprintf("response:\n want %s\n got  %s", encodeJSON(want), encodeJSON(got)), false
	}
	return "", false
}

// testStateDoc renders a TestState response as AWS sends it: payloads
// in inspectionData are JSON text, then normalisation step 1 applies.
func testStateDoc(out engine.TestStateOutput) map[string]any {
	doc := map[string]any{"status": out.Status}
	if out.Output != nil {
		doc["output"] = *out.Output
	}
	for k, v := range map[string]string{"error": out.Error, "cause": out.Cause, "nextState": out.NextState} {
		if v != "" {
			doc[k] = v
		}
	}
	if len(out.Inspection) > 0 {
		insp := map[string]any{}
		for k, v := range out.Inspection {
			switch v.(type) {
			case json.Number, map[string]any:
				if k == "errorDetails" || isNumber(v) {
					insp[k] = v
					continue
				}
			}
			insp[k] = encodeJSON(v)
		}
		doc["inspectionData"] = insp
	}
	doc, _ = decodeDoc(encodeJSON(doc))
	parseDictStrings(map[string]any{"d": doc})
	return doc
}

func isNumber(v any) bool { _, ok := v.(json.Number); return ok }

func decodeDoc(s string) (map[string]any, error) {
	v, err := decodeJSON(s)
	m, _ := v.(map[string]any)
	return m, err
}

func compareRequestError(c *corpusCase, resp map[string]any, err error) string {
	var re *engine.RequestError
	if !errors.As(err, &re) {
		return "unexpected error: " + err.Error()
	}
	code, msg := "", ""
	if e, ok := resp["Error"].(map[string]any); ok {
		code, _ = e["Code"].(string)
		msg, _ = e["Message"].(string)
	} else {
		code, _ = resp["exception_typename"].(string)
		v, _ := resp["exception_value"].(string)
		_, msg, _ = strings.Cut(v, "operation: ")
	}
	got := normalise(c, map[string]any{"m": re.Message}, "")["m"]
	if !c.ExpectError || code != re.Code || msg != got {
		return fmt.Sprintf("request error:\n want %s: %s\n got  %s: %s", code, msg, re.Code, got)
	}
	return ""
}

var resourceRe = regexp.MustCompile(`<resource:\d+>`)

// resourceEqual compares like jsonEqual; under the resource_name
// transformer, "<resource:N>" in AWS's strings stands for any name (the
// numbering depends on the whole recorded test, not on this case).
func resourceEqual(c *corpusCase, want, got any) bool {
	wild := false
	for _, t := range c.Normalisation.Transformers {
		if t["type"] == "resource_name" {
			wild = true
		}
	}
	if !wild {
		return jsonEqual(want, got)
	}
	return wildEqual(want, got)
}

func wildEqual(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !wildEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !wildEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case string:
		if y, ok := b.(string); ok && resourceRe.MatchString(x) {
			parts := resourceRe.Split(x, -1)
			for i := range parts {
				parts[i] = regexp.QuoteMeta(parts[i])
			}
			return regexp.MustCompile("^" + strings.Join(parts, `[^:/"]+`) + "$").MatchString(y)
		}
	}
	return jsonEqual(a, b)
}
