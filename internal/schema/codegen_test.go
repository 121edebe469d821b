package schema

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const orderEvent = `{"version":"0","id":"1","detail-type":"Order Placed","source":"shop.orders","account":"123456789012","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],
 "detail":{"orderId":"o-1","total":19.99,"quantity":2,"paid":true,"placedAt":"2026-01-01T00:00:00Z",
 "customer":{"id":"c-1","email":"a@example.com","address":{"city":"Paris","zip":"75001"}},
 "items":[{"sku":"A","price":10},{"sku":"B","price":9.99}],"tags":["new","vip"],"coupon":null}}`

func unzipTo(t *testing.T, zipped []byte, dir string) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		require.NoError(t, err)
		var b bytes.Buffer
		_, err = b.ReadFrom(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o750))
		require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
	}
	return names
}

func orderVersion(t *testing.T) version {
	t.Helper()
	content, err := DiscoverSchema([]string{orderEvent}, TypeOpenAPI3)
	require.NoError(t, err)
	return version{Version: "1", Type: TypeOpenAPI3, Content: content}
}

// TestGoBindingRoundTrip builds the Go binding of a discovered schema and
// runs a program that unmarshals the sample event, marshals it back and
// compares.
func TestGoBindingRoundTrip(t *testing.T) {
	t.Parallel()
	zipped, err := generate(orderVersion(t), "shop.orders@OrderPlaced", LangGo)
	require.NoError(t, err)
	dir := t.TempDir()
	names := unzipTo(t, zipped, dir)
	require.Contains(t, names, "schema/shop/orders/orderplaced/marshaller.go")
	require.Contains(t, names, "schema/shop/orders/orderplaced/awsevent.go")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/app\n\ngo 1.21\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "event.json"), []byte(orderEvent), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(goRoundTrip), 0o600))
	cmd := exec.CommandContext(t.Context(), "go", "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	require.Equal(t, "round trip ok\n", string(out))
}

const goRoundTrip = `package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"

	"example.com/app/schema/shop/orders/orderplaced"
)

func main() {
	in, err := os.ReadFile("event.json")
	if err != nil {
		panic(err)
	}
	ev, err := orderplaced.UnmarshalEvent(in)
	if err != nil {
		panic(err)
	}
	if ev.Detail.Customer.Address.City != "Paris" || ev.Detail.Items[1].Price != 9.99 || ev.Time.Year() != 2026 {
		panic(fmt.Sprintf("fields not decoded: %+v", ev))
	}
	out, err := orderplaced.Marshal(ev)
	if err != nil {
		panic(err)
	}
	var a, b any
	_ = json.Unmarshal(in, &a)
	_ = json.Unmarshal(out, &b)
	if !reflect.DeepEqual(a, b) {
		panic("round trip differs:\n" + string(in) + "\n" + string(out))
	}
	fmt.Println("round trip ok")
}
`

// TestTypeScriptBinding compiles the TypeScript binding with tsc (skipped
// without tsc, except under CI).
func TestTypeScriptBinding(t *testing.T) {
	t.Parallel()
	tsc, err := exec.LookPath("tsc")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tsc is required under CI (.ci/run installs it)")
		}
		t.Skip("tsc not installed: npm install -g typescript")
	}
	zipped, err := generate(orderVersion(t), "shop.orders@OrderPlaced", LangTypeScript)
	require.NoError(t, err)
	dir := t.TempDir()
	names := unzipTo(t, zipped, dir)
	require.Contains(t, names, "shopordersorderplaced/Marshaller.ts")
	var files []string
	for _, n := range names {
		files = append(files, filepath.Join(dir, filepath.FromSlash(n)))
	}
	outDir := filepath.Join(dir, "out")
	cmd := exec.CommandContext(t.Context(), tsc, append([]string{"--strict", "--target", "es2017", "--module", "commonjs", "--outDir", outDir}, files...)...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	require.Empty(t, strings.TrimSpace(string(out)))
	node, err := exec.LookPath("node")
	if err != nil {
		return
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "event.json"), []byte(orderEvent), 0o600))
	run := exec.CommandContext(t.Context(), node, "-e", tsRoundTrip)
	run.Dir = dir
	out, err = run.CombinedOutput()
	require.NoError(t, err, string(out))
	require.Equal(t, "round trip ok Paris\n", string(out))
}

const tsRoundTrip = `
const fs = require('fs');
const assert = require('assert');
const { Marshaller } = require('./out/Marshaller');
const { AWSEvent } = require('./out/AWSEvent');
const raw = fs.readFileSync('event.json', 'utf8');
const ev = Marshaller.unmarshalEvent(raw);
assert(ev instanceof AWSEvent);
assert(ev.time instanceof Date && ev.time.getUTCFullYear() === 2026);
assert.deepStrictEqual(JSON.parse(Marshaller.marshal(ev)), JSON.parse(raw));
console.log('round trip ok', ev.detail.customer.address.city);
`

// TestPythonBindingRoundTrip imports the Python binding and round-trips the
// sample event (skipped without python3, except under CI).
func TestPythonBindingRoundTrip(t *testing.T) {
	t.Parallel()
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is required under CI")
		}
		t.Skip("python3 not installed")
	}
	zipped, err := generate(orderVersion(t), "shop.orders@OrderPlaced", LangPython)
	require.NoError(t, err)
	dir := t.TempDir()
	names := unzipTo(t, zipped, dir)
	require.Contains(t, names, "schema/shop/orders/orderplaced/marshaller.py")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "event.json"), []byte(orderEvent), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.py"), []byte(pyRoundTrip), 0o600))
	cmd := exec.CommandContext(t.Context(), py, "main.py")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	require.Equal(t, "round trip ok Paris\n", string(out))
}

const pyRoundTrip = `import json
from schema.shop.orders.orderplaced import Marshaller, AWSEvent

with open('event.json') as f:
    raw = json.load(f)
ev = Marshaller.unmarshall(raw, 'AWSEvent')
assert isinstance(ev, AWSEvent)
assert ev.time.year == 2026
back = Marshaller.marshall(ev)
assert back == raw, (back, raw)
print('round trip ok', ev.detail.customer.address.city)
`
