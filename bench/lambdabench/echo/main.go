// Command echo is the benchmark's Lambda function for provided.al2023: a
// bootstrap that speaks the Runtime API with net/http, as aws-lambda-go
// does, and returns each event as its response. An event that starts
// with {"sleep_ms":N holds the sandbox N milliseconds first, so that
// concurrent invocations each get their own sandbox.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	base := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/"
	client := &http.Client{} // no timeout: /next blocks until an event
	for {
		resp, err := client.Get(base + "next")
		if err != nil {
			fail("next", err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			fail("next body", err)
		}
		id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
		hold(body)
		resp, err = client.Post(base+id+"/response", "application/json", bytes.NewReader(body))
		if err != nil {
			fail("response", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
}

// hold sleeps as long as an event's sleep_ms asks.
func hold(event []byte) {
	if !bytes.HasPrefix(event, []byte(`{"sleep_ms":`)) {
		return
	}
	var e struct {
		SleepMs int `json:"sleep_ms"`
	}
	if json.Unmarshal(event, &e) == nil {
		time.Sleep(time.Duration(e.SleepMs) * time.Millisecond)
	}
}

func fail(what string, err error) {
	fmt.Fprintln(os.Stderr, what+":", err)
	os.Exit(2)
}
