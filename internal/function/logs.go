package function

import (
	"bytes"
	"fmt"
	"math"
	"time"

	"github.com/fogbank/fogbank/internal/function/sandbox"
)

// TailSize is how much of the log LogType Tail returns: the last 4 KB.
const TailSize = 4096

// report renders an invocation's log as AWS writes it to CloudWatch:
// START, the process's output, END and REPORT.
func report(f *Function, requestID string, o sandbox.Outcome) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "START RequestId: %s Version: %s\n", requestID, f.Version())
	b.Write(o.Log)
	if len(o.Log) > 0 && o.Log[len(o.Log)-1] != '\n' {
		b.WriteByte('\n')
	}
	if o.Result.ErrorType == "Sandbox.Timedout" {
		fmt.Fprintf(&b, "%s %s Task timed out after %.2f seconds\n\n", time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), requestID, float64(f.Timeout))
	}
	fmt.Fprintf(&b, "END RequestId: %s\n", requestID)
	fmt.Fprintf(&b, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t",
		requestID, ms(o.Duration), int64(math.Ceil(ms(o.Duration+o.InitTime))), f.MemorySize, max(o.MaxMemoryMB, 1))
	if o.InitTime > 0 {
		fmt.Fprintf(&b, "Init Duration: %.2f ms\t", ms(o.InitTime))
	}
	if o.Result.ErrorType == "Sandbox.Timedout" {
		b.WriteString("Status: timeout")
	}
	b.WriteByte('\n')
	return b.Bytes()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Tail is the last TailSize bytes of a log.
func Tail(log []byte) []byte {
	if len(log) > TailSize {
		return log[len(log)-TailSize:]
	}
	return log
}
