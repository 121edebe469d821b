package function

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

func zipOf(t *testing.T, name, body string, method uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
	require.NoError(t, err)
	_, err = w.Write([]byte(body))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// A zip fogbank cannot unpack is refused with AWS's message, never a 500,
// and leaves nothing behind.
func TestStoreCodeRefusesBadZips(t *testing.T) {
	t.Parallel()
	s := &Service{code: codeStore{dir: t.TempDir()}}
	for name, z := range map[string][]byte{
		"absolute path":   zipOf(t, "/var/task/app.py", "x", zip.Store),
		"parent path":     zipOf(t, "../escape", "x", zip.Store),
		"not a zip":       []byte("not a zip"),
		"corrupt deflate": corruptDeflate(t),
	} {
		_, err := s.storeCode(z, "")
		require.True(t, IsCode(err, CodeInvalidParameterValue), "%s: %v", name, err)
		require.Equal(t, "Could not unzip uploaded file. Please check your file, then try to upload again.", err.Error(), name)
	}
	info, err := s.storeCode(zipOf(t, "app.py", "print(1)", zip.Deflate), "")
	require.NoError(t, err)
	require.NotEmpty(t, info.key)
}

// corruptDeflate is a zip whose compressed data is damaged (its directory
// still reads).
func corruptDeflate(t *testing.T) []byte {
	t.Helper()
	z := zipOf(t, "app.py", string(bytes.Repeat([]byte("fogbank "), 512)), zip.Deflate)
	i := bytes.Index(z, []byte("app.py")) + len("app.py") // the local header's name ends here
	for j := i + 4; j < i+24; j++ {
		z[j] ^= 0xff
	}
	return z
}
