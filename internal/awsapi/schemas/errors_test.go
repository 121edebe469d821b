package schemas

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestErrorTableMatchesModel checks that every error we emit is an exception
// of the Schemas model with the model's status and Code/Message members.
func TestErrorTableMatchesModel(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/schemas-errors.json")
	require.NoError(t, err)
	var model struct {
		Exceptions map[string]struct {
			Status  int      `json:"status"`
			Members []string `json:"members"`
		} `json:"exceptions"`
	}
	require.NoError(t, json.Unmarshal(raw, &model))
	for code, w := range errorTable {
		s, ok := model.Exceptions[w.typ]
		require.Truef(t, ok, "code %s: %s is not in the Schemas model", code, w.typ)
		require.Equalf(t, s.Status, w.status, "code %s: status of %s", code, w.typ)
		require.Containsf(t, s.Members, "Message", "code %s: message member of %s", code, w.typ)
		require.Containsf(t, s.Members, "Code", "code %s: code member of %s", code, w.typ)
		require.Equal(t, string(code), w.typ)
	}
}
