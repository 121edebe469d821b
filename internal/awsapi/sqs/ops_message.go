package sqs

import (
	"context"
	"slices"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/queue"
)

func toDomainAttrs(in map[string]messageAttributeValue) map[string]queue.MessageAttribute {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]queue.MessageAttribute, len(in))
	for k, v := range in {
		a := queue.MessageAttribute{DataType: v.DataType, StringValue: v.StringValue, BinaryValue: v.BinaryValue, StringListValues: v.StringListValues}
		for _, b := range v.BinaryListValues {
			a.BinaryListValues = append(a.BinaryListValues, b)
		}
		out[k] = a
	}
	return out
}

func fromDomainAttrs(in map[string]queue.MessageAttribute) msgAttrMap {
	if len(in) == 0 {
		return nil
	}
	out := make(msgAttrMap, len(in))
	for k, a := range in {
		v := messageAttributeValue{DataType: a.DataType, StringValue: a.StringValue, BinaryValue: a.BinaryValue, StringListValues: a.StringListValues}
		for _, b := range a.BinaryListValues {
			v.BinaryListValues = append(v.BinaryListValues, b)
		}
		out[k] = v
	}
	return out
}

func sendInput(r *awsapi.Request, ref queue.QueueRef, in *sendMessageInput) queue.SendMessageInput {
	out := queue.SendMessageInput{
		Caller: caller(r), Queue: ref, Body: in.MessageBody, DelaySeconds: in.DelaySeconds,
		Attributes: toDomainAttrs(in.MessageAttributes), SystemAttributes: toDomainAttrs(in.MessageSystemAttributes),
		DedupID: in.MessageDeduplicationID, GroupID: in.MessageGroupID,
	}
	// SQS records the X-Ray header of the sending request as AWSTraceHeader
	// unless the message sets that system attribute itself.
	if th := traceHeader(r); th != "" {
		if _, set := out.SystemAttributes[queue.SysAWSTraceHeader]; !set {
			if out.SystemAttributes == nil {
				out.SystemAttributes = map[string]queue.MessageAttribute{}
			}
			out.SystemAttributes[queue.SysAWSTraceHeader] = queue.MessageAttribute{DataType: "String", StringValue: &th}
		}
	}
	return out
}

func traceHeader(r *awsapi.Request) string {
	if r.HTTP == nil {
		return ""
	}
	return r.HTTP.Header.Get("X-Amzn-Trace-Id")
}

func sendOutput(o queue.SendMessageOutput) sendMessageOutput {
	return sendMessageOutput{
		MD5OfMessageBody: o.MD5OfBody, MD5OfMessageAttributes: o.MD5OfAttrs,
		MD5OfMessageSystemAttributes: o.MD5OfSysAttrs, MessageID: o.MessageID, SequenceNumber: o.SequenceNumber,
	}
}

func (h *Handler) sendMessage(ctx context.Context, r *awsapi.Request, in *sendMessageInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	out, err := h.svc.SendMessage(ctx, sendInput(r, ref, in))
	if err != nil {
		return nil, err
	}
	o := sendOutput(out)
	return &o, nil
}

func (h *Handler) sendMessageBatch(ctx context.Context, r *awsapi.Request, in *sendMessageBatchInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	entries := make([]queue.SendMessageBatchEntry, len(in.Entries))
	for i := range in.Entries {
		e := &in.Entries[i]
		entries[i] = queue.SendMessageBatchEntry{ID: e.ID, SendMessageInput: sendInput(r, ref, &e.sendMessageInput)}
	}
	ok, failed, err := h.svc.SendMessageBatch(ctx, caller(r), ref, entries)
	if err != nil {
		return nil, err
	}
	out := &sendMessageBatchOutput{Successful: []sendMessageBatchResultEntry{}, Failed: batchFailures(failed)}
	for _, o := range ok {
		out.Successful = append(out.Successful, sendMessageBatchResultEntry{ID: o.ID, sendMessageOutput: sendOutput(o.SendMessageOutput)})
	}
	return out, nil
}

func batchFailures(failed []queue.BatchFailure) []batchResultErrorEntry {
	out := []batchResultErrorEntry{}
	for _, f := range failed {
		out = append(out, batchResultErrorEntry{ID: f.ID, SenderFault: true, Code: batchCode(f.Err), Message: f.Err.Message})
	}
	return out
}

func (h *Handler) receiveMessage(ctx context.Context, r *awsapi.Request, in *receiveMessageInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	msgs, err := h.svc.ReceiveMessage(ctx, queue.ReceiveMessageInput{
		Caller: caller(r), Queue: ref, MaxNumberOfMessages: in.MaxNumberOfMessages,
		VisibilityTimeout: in.VisibilityTimeout, WaitTimeSeconds: in.WaitTimeSeconds,
		AttemptID:             in.ReceiveRequestAttemptID,
		SystemAttributeNames:  systemAttributeNames(r, in),
		MessageAttributeNames: in.MessageAttributeNames,
	})
	if err != nil {
		return nil, err
	}
	out := &receiveMessageOutput{}
	for _, m := range msgs {
		out.Messages = append(out.Messages, wireMessage{
			MessageID: m.MessageID, ReceiptHandle: m.ReceiptHandle, MD5OfBody: m.MD5OfBody, Body: m.Body,
			Attributes: m.Attributes, MD5OfMessageAttributes: m.MD5OfAttrs, MessageAttributes: fromDomainAttrs(m.MessageAttributes),
		})
	}
	return out, nil
}

func (h *Handler) deleteMessage(ctx context.Context, r *awsapi.Request, in *deleteMessageInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	return nil, h.svc.DeleteMessage(ctx, caller(r), ref, in.ReceiptHandle)
}

func (h *Handler) deleteMessageBatch(ctx context.Context, r *awsapi.Request, in *deleteMessageBatchInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	entries := make([]queue.DeleteMessageBatchEntry, len(in.Entries))
	for i, e := range in.Entries {
		entries[i] = queue.DeleteMessageBatchEntry{ID: e.ID(), ReceiptHandle: e.ReceiptHandle}
	}
	ok, failed, err := h.svc.DeleteMessageBatch(ctx, caller(r), ref, entries)
	if err != nil {
		return nil, err
	}
	return &deleteBatchOutput{Successful: idEntries(ok), Failed: batchFailures(failed)}, nil
}

func idEntries(ids []string) []batchIDEntry {
	out := []batchIDEntry{}
	for _, id := range ids {
		out = append(out, batchIDEntry{ID: id})
	}
	return out
}

func (h *Handler) changeMessageVisibility(ctx context.Context, r *awsapi.Request, in *changeVisibilityInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	if in.VisibilityTimeout == nil {
		return nil, missingParameter("VisibilityTimeout")
	}
	return nil, h.svc.ChangeMessageVisibility(ctx, caller(r), ref, in.ReceiptHandle, *in.VisibilityTimeout)
}

func (h *Handler) changeMessageVisibilityBatch(ctx context.Context, r *awsapi.Request, in *changeVisibilityBatchInput) (any, error) {
	ref, err := parseQueueURL(r, in.QueueURL)
	if err != nil {
		return nil, err
	}
	entries := make([]queue.ChangeVisibilityBatchEntry, len(in.Entries))
	for i, e := range in.Entries {
		entries[i] = queue.ChangeVisibilityBatchEntry{ID: e.ID, ReceiptHandle: e.ReceiptHandle}
		if e.VisibilityTimeout != nil {
			entries[i].VisibilityTimeout = *e.VisibilityTimeout
		}
	}
	ok, failed, err := h.svc.ChangeMessageVisibilityBatch(ctx, caller(r), ref, entries)
	if err != nil {
		return nil, err
	}
	return &changeVisibilityBatchOutput{Successful: idEntries(ok), Failed: batchFailures(failed)}, nil
}

func (h *Handler) startMessageMoveTask(ctx context.Context, r *awsapi.Request, in *startMoveTaskInput) (any, error) {
	handle, err := h.svc.StartMessageMoveTask(ctx, queue.StartMessageMoveTaskInput{Caller: caller(r), SourceArn: in.SourceArn, DestinationArn: in.DestinationArn, MaxPerSecond: in.MaxNumberOfMessagesPerSecond})
	if err != nil {
		return nil, err
	}
	return &startMoveTaskOutput{TaskHandle: handle}, nil
}

func (h *Handler) cancelMessageMoveTask(ctx context.Context, r *awsapi.Request, in *cancelMoveTaskInput) (any, error) {
	if in.TaskHandle == "" {
		return nil, missingParameter("TaskHandle")
	}
	n, err := h.svc.CancelMessageMoveTask(ctx, caller(r), in.TaskHandle)
	if err != nil {
		return nil, err
	}
	return &cancelMoveTaskOutput{ApproximateNumberOfMessagesMoved: n}, nil
}

func (h *Handler) listMessageMoveTasks(ctx context.Context, r *awsapi.Request, in *listMoveTasksInput) (any, error) {
	tasks, err := h.svc.ListMessageMoveTasks(ctx, caller(r), in.SourceArn, in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &listMoveTasksOutput{}
	for _, t := range tasks {
		e := moveTaskEntry{
			Status: t.Status, SourceArn: t.SourceArn, DestinationArn: t.DestinationArn,
			MaxNumberOfMessagesPerSecond: t.MaxPerSecond, ApproximateNumberOfMessagesMoved: t.Moved,
			FailureReason: t.FailureReason, StartedTimestamp: t.StartedAt,
		}
		toMove := t.ToMove
		e.ApproximateNumberOfMessagesToMove = &toMove
		if t.Status == queue.TaskRunning {
			e.TaskHandle = t.Handle
		}
		out.Results = append(out.Results, e)
	}
	return out, nil
}

// systemAttributeNames merges the deprecated AttributeNames with
// MessageSystemAttributeNames. Over the query protocol AWS honours only
// AttributeName.N when both are present.
func systemAttributeNames(r *awsapi.Request, in *receiveMessageInput) []string {
	if r.Protocol == awsapi.ProtocolQuery && len(in.AttributeNames) > 0 {
		return in.AttributeNames
	}
	return append(slices.Clip(in.AttributeNames), in.MessageSystemAttributeNames...)
}
