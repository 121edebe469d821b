package sqs

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestErrorTableMatchesModel checks that every error we emit names a shape of
// the SQS model (or one of AWS's common errors) with its legacy query code.
func TestErrorTableMatchesModel(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/sqs-errors.json")
	require.NoError(t, err)
	var model struct {
		Exceptions map[string]string `json:"exceptions"`
		Common     map[string]string `json:"common"`
	}
	require.NoError(t, json.Unmarshal(raw, &model))
	for code, w := range errorTable {
		short := w.jsonType[strings.LastIndex(w.jsonType, "#")+1:]
		legacy, ok := model.Exceptions[short]
		if !ok {
			legacy, ok = model.Common[short]
		}
		require.Truef(t, ok, "code %d: __type %s is not in the SQS model", code, w.jsonType)
		require.Equalf(t, legacy, w.queryCode, "code %d: legacy code of %s", code, short)
	}
}
