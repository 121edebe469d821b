package sfn

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestErrorsExistInModel checks that every error we emit is an exception of
// the Step Functions model or one of AWS's common JSON-protocol errors.
func TestErrorsExistInModel(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/sfn-errors.json")
	require.NoError(t, err)
	var model struct {
		Exceptions []string `json:"exceptions"`
		Common     []string `json:"common"`
	}
	require.NoError(t, json.Unmarshal(raw, &model))
	known := append(model.Exceptions, model.Common...)
	for code, typ := range errorTable {
		require.Truef(t, slices.Contains(known, typ), "code %d: %s is not in the model", code, typ)
	}
	for _, typ := range otherErrors {
		require.Truef(t, slices.Contains(known, typ), "%s is not in the model", typ)
	}
}
