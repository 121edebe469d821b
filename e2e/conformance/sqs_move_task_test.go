package conformance

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSQSMoveTaskConformance(t *testing.T) {
	t.Parallel()
	runCases(t, "test_sqs_move_task", []sqsCase{
		one("test_cancel_with_invalid_task_handle", func(e *env) {
			e.match("error", e.fail(e.js, "CancelMessageMoveTask", M{"TaskHandle": "foobared"}))
		}),
		one("test_cancel_with_invalid_source_arn_in_task_handle", func(e *env) {
			h := moveTaskHandle("10f57157-fc38-4da9-a113-4de7e12d05dd", "arn:aws:sqs:us-east-1:878966065785:test-queue-doesnt-exist-123456")
			e.match("error", e.fail(e.js, "CancelMessageMoveTask", M{"TaskHandle": h}))
		}),
		one("test_cancel_with_invalid_task_id_in_task_handle", func(e *env) {
			h := moveTaskHandle("10f57157-fc38-4da9-a113-4de7e12d05aa", e.queueArn(e.createQueue(nil)))
			e.match("error", e.fail(e.js, "CancelMessageMoveTask", M{"TaskHandle": h}))
		}),
		one("test_source_needs_redrive_policy", func(e *env) {
			src, dst := e.queueArn(e.createQueue(nil)), e.queueArn(e.createQueue(nil))
			e.match("error", e.fail(e.js, "StartMessageMoveTask", M{"SourceArn": src, "DestinationArn": dst}))
		}),
		one("test_destination_needs_to_exist", func(e *env) {
			_, dlq := dlqPipe(e)
			dst := e.queueArn(e.createQueue(nil)) + "doesntexist"
			e.match("error", e.fail(e.js, "StartMessageMoveTask", M{"SourceArn": e.queueArn(dlq), "DestinationArn": dst}))
		}),
		one("test_basic_move_task_workflow", func(e *env) {
			q, dlq := dlqPipe(e)
			src := e.queueArn(dlq)
			dst := e.createQueue(nil)
			for _, b := range []string{"message-1", "message-2"} {
				e.ok(e.js, "SendMessage", M{"QueueUrl": q, "MessageBody": b})
			}
			for range 4 {
				e.ok(e.js, "ReceiveMessage", M{"QueueUrl": q, "VisibilityTimeout": 0})
			}
			r := e.ok(e.js, "StartMessageMoveTask", M{"SourceArn": src, "DestinationArn": e.queueArn(dst)})
			e.match("start-message-move-task-response", r)
			var list M
			require.Eventually(e.t, func() bool {
				list = e.ok(e.js, "ListMessageMoveTasks", M{"SourceArn": src})
				res, _ := list["Results"].([]any)
				return len(res) > 0 && fmt.Sprint(res[0].(M)["ApproximateNumberOfMessagesMoved"]) == "2"
			}, 5*time.Second, 50*time.Millisecond)
			e.match("list-message-move-task-response", list)
		}),
	})
}

// dlqPipe is test_sqs_move_task.py's sqs_create_dlq_pipe(max_receive_count=1).
func dlqPipe(e *env) (queue, dlq string) {
	dlq = e.createQueue(nil)
	policy, _ := json.Marshal(M{"deadLetterTargetArn": e.queueArn(dlq), "maxReceiveCount": 1})
	return e.createQueue(M{"Attributes": M{"RedrivePolicy": string(policy)}}), dlq
}

// moveTaskHandle is LocalStack's encode_move_task_handle (AWS's format).
func moveTaskHandle(taskID, sourceArn string) string {
	return base64.StdEncoding.EncodeToString([]byte(`{"taskId":"` + taskID + `","sourceArn":"` + sourceArn + `"}`))
}
