package runtime

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMaterialiseWritesTheClientsOnce(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	dir, err := Materialise(base)
	require.NoError(t, err)
	for _, f := range []string{"node/index.mjs", "python/bootstrap.py"} {
		want, err := files.ReadFile(f)
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	again, err := Materialise(base)
	require.NoError(t, err)
	require.Equal(t, dir, again)
	entries, err := os.ReadDir(base)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary directory is left behind")
}

func TestFor(t *testing.T) {
	t.Parallel()
	l, ok := For("nodejs22.x")
	require.True(t, ok)
	require.Equal(t, []string{"node", "/r/node/index.mjs"}, l.Command("/r"))
	l, ok = For("python3.13")
	require.True(t, ok)
	require.Equal(t, []string{"python3", "-u", "/r/python/bootstrap.py"}, l.Command("/r"))
	_, ok = For("provided.al2023")
	require.False(t, ok)
}
