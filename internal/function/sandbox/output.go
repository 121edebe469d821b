package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// maxLog bounds the output kept between two takes.
const maxLog = 1 << 20

// output collects a process's stdout and stderr from one pipe. take returns
// everything written so far: since a runtime writes its logs before it posts
// its response, draining the pipe then catches all of an invocation's lines.
type output struct {
	f       *os.File
	mu      sync.Mutex
	buf     []byte
	drained chan struct{} // the reader found the pipe empty after a take asked
	done    chan struct{} // the reader ended (EOF)
}

func newOutput() (*output, *os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, fmt.Errorf("sandbox: pipe: %w", err)
	}
	o := &output{f: r, drained: make(chan struct{}, 1), done: make(chan struct{})}
	go o.read()
	return o, w, nil
}

// read copies the pipe into buf. A take sets a past read deadline: a read
// then fails with ErrDeadlineExceeded only once the pipe is empty, which is
// when the reader reports drained.
func (o *output) read() {
	defer close(o.done)
	chunk := make([]byte, 32<<10)
	for {
		n, err := o.f.Read(chunk)
		o.mu.Lock()
		if len(o.buf)+n <= maxLog {
			o.buf = append(o.buf, chunk[:n]...)
		}
		o.mu.Unlock()
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			_ = o.f.SetReadDeadline(time.Time{})
			o.drained <- struct{}{}
		case err != nil:
			return
		}
	}
}

// take drains the pipe and returns what was written since the last take.
func (o *output) take() []byte {
	if err := o.f.SetReadDeadline(time.Now()); err == nil {
		select {
		case <-o.drained:
		case <-o.done:
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	b := o.buf
	o.buf = nil
	return b
}

func (o *output) close() { _ = o.f.Close() }

func errorJSON(typ, msg string) []byte {
	b, _ := json.Marshal(struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}{msg, typ})
	return b
}
