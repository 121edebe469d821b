package sandbox

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFingerprint(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o750))
		require.NoError(t, os.WriteFile(p, []byte(data), 0o600))
	}
	write("app.py", "v1")
	before := fingerprint(dir)
	require.NotEmpty(t, before)
	require.Equal(t, before, fingerprint(dir))
	write("node_modules/dep/index.js", "ignored")
	write("__pycache__/app.pyc", "ignored")
	require.Equal(t, before, fingerprint(dir), "dependency trees and caches are not watched")
	write("lib/util.py", "new file")
	after := fingerprint(dir)
	require.NotEqual(t, before, after)
	write("app.py", "v22")
	require.NotEqual(t, after, fingerprint(dir))
	require.Empty(t, fingerprint(filepath.Join(dir, "missing")))
}
