package sns

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestErrorTableMatchesModel checks every error we emit against the
// exception shapes of the SNS model (testdata/sns-errors.json, extracted from
// botocore's sns/2010-03-31/service-2.json).
func TestErrorTableMatchesModel(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/sns-errors.json")
	require.NoError(t, err)
	var model struct {
		Exceptions map[string]string `json:"exceptions"`
	}
	require.NoError(t, json.Unmarshal(raw, &model))
	for code, w := range errorTable {
		want, ok := model.Exceptions[w.shape]
		require.Truef(t, ok, "code %d: %s is not in the SNS model", code, w.shape)
		require.Equalf(t, want, w.queryCode, "code %d: query code of %s", code, w.shape)
	}
}
