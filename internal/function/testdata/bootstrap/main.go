// Command bootstrap is a test Lambda runtime for provided.al2023: it speaks
// the Runtime API directly with net/http (as aws-lambda-go does) and acts on
// the "action" of each event:
//
//	echo (default)  return the event
//	error           post an error {"errorMessage": msg, "errorType": "TestError"}
//	sleep           sleep "ms" milliseconds, then return the event
//	context         return the invocation's headers, environment and version.txt
//	log             print "msg" to stdout and stderr, then return the event
//	exit            exit with status 3
//	notify          POST the event to "url", then fail if "fail" is true
//	wait            POST the event to "url" and return once it answers
//	big             return "n" bytes
//	stream          stream "n" chunks "chunk <i>\n" (Response-Mode: streaming),
//	                "ms" milliseconds apart; with "url", POST the event there
//	                after the first chunk and go on once it answers; with
//	                "fail", end with the error trailers (StreamError)
//
// With EVENT_URL set in its environment, it first POSTs every event there.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

type event struct {
	Action string `json:"action"`
	Msg    string `json:"msg"`
	Ms     int    `json:"ms"`
	URL    string `json:"url"`
	Fail   bool   `json:"fail"`
	N      int    `json:"n"`
}

var base = "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime"

func main() {
	if os.Getenv("FAIL_INIT") != "" {
		post(base+"/init/error", "InitFailed", []byte(`{"errorMessage":"init failed on purpose","errorType":"InitFailed"}`))
		os.Exit(1)
	}
	client := &http.Client{} // no timeout: /next blocks until an event
	for {
		resp, err := client.Get(base + "/invocation/next")
		if err != nil {
			fmt.Fprintln(os.Stderr, "next:", err)
			os.Exit(2)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
		if ev, ok := streamEvent(body); ok {
			streamResponse(base+"/invocation/"+id+"/response", ev, body)
			continue
		}
		out, errType := handle(resp.Header, body)
		if errType != "" {
			post(base+"/invocation/"+id+"/error", errType, out)
			continue
		}
		post(base+"/invocation/"+id+"/response", "", out)
	}
}

func handle(h http.Header, body []byte) ([]byte, string) {
	if u := os.Getenv("EVENT_URL"); u != "" {
		if resp, err := http.Post(u, "application/json", bytes.NewReader(body)); err == nil {
			_ = resp.Body.Close()
		}
	}
	if out, errType, ok := sqsBatch(body); ok {
		return out, errType
	}
	var ev event
	_ = json.Unmarshal(body, &ev)
	switch ev.Action {
	case "error":
		return []byte(fmt.Sprintf(`{"errorMessage":%q,"errorType":"TestError","stackTrace":[]}`, ev.Msg)), "TestError"
	case "sleep":
		time.Sleep(time.Duration(ev.Ms) * time.Millisecond)
	case "context":
		return contextOf(h), ""
	case "log":
		fmt.Println(ev.Msg)
		fmt.Fprintln(os.Stderr, "stderr: "+ev.Msg)
	case "exit":
		os.Exit(3)
	case "notify":
		resp, err := http.Post(ev.URL, "application/json", bytes.NewReader(body))
		if err == nil {
			_ = resp.Body.Close()
		}
		if ev.Fail {
			return []byte(`{"errorMessage":"asked to fail","errorType":"TestError"}`), "TestError"
		}
	case "wait":
		resp, err := http.Post(ev.URL, "application/json", bytes.NewReader(body))
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}
	case "big":
		return []byte(`"` + strings.Repeat("x", ev.N) + `"`), ""
	}
	return body, ""
}

// sqsBatch handles an SQS event ({"Records": [...]}) whose bodies are
// events: an "error" action fails the whole batch, "fail": true reports the
// record in batchItemFailures, a "garbage" action answers a malformed
// partial batch response.
func sqsBatch(body []byte) ([]byte, string, bool) {
	var ev struct {
		Records []struct {
			MessageID string `json:"messageId"`
			Body      string `json:"body"`
		} `json:"Records"`
	}
	if json.Unmarshal(body, &ev) != nil || len(ev.Records) == 0 || ev.Records[0].MessageID == "" {
		return nil, "", false
	}
	type item struct {
		ItemIdentifier string `json:"itemIdentifier"`
	}
	failures := []item{}
	for _, r := range ev.Records {
		var e event
		_ = json.Unmarshal([]byte(r.Body), &e)
		switch {
		case e.Action == "error":
			return []byte(`{"errorMessage":"batch failed","errorType":"TestError"}`), "TestError", true
		case e.Action == "garbage":
			return []byte(`{"batchItemFailures":[{"itemIdentifier":""}]}`), "", true
		case e.Fail:
			failures = append(failures, item{r.MessageID})
		}
	}
	b, _ := json.Marshal(map[string]any{"batchItemFailures": failures})
	return b, "", true
}

func contextOf(h http.Header) []byte {
	version, _ := os.ReadFile(filepath.Join(os.Getenv("LAMBDA_TASK_ROOT"), "version.txt"))
	env := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	b, _ := json.Marshal(map[string]any{
		"version": strings.TrimSpace(string(version)),
		"headers": map[string]string{
			"requestId": h.Get("Lambda-Runtime-Aws-Request-Id"), "deadline": h.Get("Lambda-Runtime-Deadline-Ms"),
			"arn": h.Get("Lambda-Runtime-Invoked-Function-Arn"), "trace": h.Get("Lambda-Runtime-Trace-Id"),
			"clientContext": h.Get("Lambda-Runtime-Client-Context"),
		},
		"env": env,
		"pid": os.Getpid(),
	})
	return b
}

func post(url, errType string, body []byte) {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if errType != "" {
		req.Header.Set("Lambda-Runtime-Function-Error-Type", errType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "post:", err)
		os.Exit(2)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted && !strings.HasSuffix(url, "/init/error") {
		fmt.Fprintln(os.Stderr, "post: status", resp.StatusCode)
		os.Exit(2)
	}
}

func streamEvent(body []byte) (event, bool) {
	var ev event
	return ev, json.Unmarshal(body, &ev) == nil && ev.Action == "stream"
}

// streamResponse posts the response chunked in streaming mode, one write
// per chunk (net/http flushes each write of a body of unknown length).
func streamResponse(url string, ev event, body []byte) {
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, url, pr)
	req.Header.Set("Lambda-Runtime-Function-Response-Mode", "streaming")
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Trailer = http.Header{"Lambda-Runtime-Function-Error-Type": nil, "Lambda-Runtime-Function-Error-Body": nil}
	go func() {
		for i := 1; i <= ev.N; i++ {
			_, _ = fmt.Fprintf(pw, "chunk %d\n", i)
			if i == 1 && ev.URL != "" {
				if resp, err := http.Post(ev.URL, "application/json", bytes.NewReader(body)); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
				}
			}
			<-time.After(time.Duration(ev.Ms) * time.Millisecond)
		}
		if ev.Fail {
			doc := `{"errorMessage":"failed after ` + fmt.Sprint(ev.N) + ` chunks","errorType":"StreamError"}`
			req.Trailer.Set("Lambda-Runtime-Function-Error-Type", "StreamError")
			req.Trailer.Set("Lambda-Runtime-Function-Error-Body", base64.StdEncoding.EncodeToString([]byte(doc)))
		}
		_ = pw.Close()
	}()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stream:", err)
		os.Exit(2)
	}
	_ = resp.Body.Close()
}
