package sigv4_test

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/awsapi/sigv4"
)

// rewrite regenerates the .golden files from the current behaviour:
//
//	go test ./internal/awsapi/sigv4 -run TestGolden -rewrite
var rewrite = flag.Bool("rewrite", false, "rewrite testdata/requests/*.golden")

// TestGolden reads each raw HTTP request in testdata/requests/*.http the way
// the server would, runs Parse and Verify (clock at 20150830T123600Z, the
// example key and an account key configured) and compares the outcome with
// the matching .golden file.
func TestGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "requests", "*.http"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			got := outcome(t, setup(t).verifier, readRawRequest(t, file))
			golden := strings.TrimSuffix(file, ".http") + ".golden"
			if *rewrite {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "missing golden file; run with -rewrite")
			require.Equal(t, string(want), got)
		})
	}
}

// rawRequest is a request as the server receives it, with its body read.
type rawRequest struct {
	r    *http.Request
	body []byte
}

// readRawRequest parses a raw HTTP/1.1 request from file.
func readRawRequest(t *testing.T, file string) rawRequest {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(data)))
	require.NoError(t, err)
	body, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return rawRequest{r, body}
}

// outcome describes what Parse and Verify make of a request, one line each.
func outcome(t *testing.T, v *sigv4.Verifier, req rawRequest) string {
	t.Helper()
	cred, err := sigv4.Parse(req.r)
	parsed := describe(cred, err)
	cred, err = v.Verify(req.r, req.body)
	return "parse: " + parsed + "\nverify: " + describe(cred, err) + "\n"
}

// describe renders a credential or an *sigv4.Error on one line.
func describe(cred sigv4.Credential, err error) string {
	if err == nil {
		return fmt.Sprintf("ok AccessKeyID=%s Date=%s Region=%s Service=%s Presigned=%t Account=%s",
			cred.AccessKeyID, cred.Date, cred.Region, cred.Service, cred.Presigned, sigv4.AccountID(cred.AccessKeyID))
	}
	var authErr *sigv4.Error
	if !errors.As(err, &authErr) {
		return "unexpected error type: " + err.Error()
	}
	return fmt.Sprintf("error %d %s (%s): %s", authErr.HTTPStatus, authErr.Code, authErr.JSONType(), authErr.Message)
}
