package events

import (
	"context"
	"time"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/bus"
)

type archiveInput struct {
	ArchiveName    string  `json:"ArchiveName"`
	EventSourceArn string  `json:"EventSourceArn"`
	Description    *string `json:"Description"`
	EventPattern   *string `json:"EventPattern"`
	RetentionDays  *int32  `json:"RetentionDays"`
}

func (in *archiveInput) domain(r *awsapi.Request) bus.ArchiveInput {
	return bus.ArchiveInput{
		Caller: caller(r), Name: in.ArchiveName, EventSourceArn: in.EventSourceArn, Description: in.Description,
		EventPattern: in.EventPattern, RetentionDays: in.RetentionDays,
	}
}

type archiveStateOutput struct {
	ArchiveArn   string `json:"ArchiveArn"`
	State        string `json:"State"`
	CreationTime epoch  `json:"CreationTime"`
}

func (h *Handler) createArchive(ctx context.Context, r *awsapi.Request, in *archiveInput) (any, error) {
	a, err := h.svc.CreateArchive(ctx, in.domain(r))
	if err != nil {
		return nil, err
	}
	return archiveStateOutput{a.Arn, a.State, epoch(a.Created)}, nil
}

func (h *Handler) updateArchive(ctx context.Context, r *awsapi.Request, in *archiveInput) (any, error) {
	a, err := h.svc.UpdateArchive(ctx, in.domain(r))
	if err != nil {
		return nil, err
	}
	return archiveStateOutput{a.Arn, a.State, epoch(a.Created)}, nil
}

type archiveOut struct {
	ArchiveArn     string `json:"ArchiveArn,omitempty"`
	ArchiveName    string `json:"ArchiveName"`
	EventSourceArn string `json:"EventSourceArn"`
	Description    string `json:"Description,omitempty"`
	EventPattern   string `json:"EventPattern,omitempty"`
	State          string `json:"State"`
	RetentionDays  int32  `json:"RetentionDays"`
	SizeBytes      int64  `json:"SizeBytes"`
	EventCount     int64  `json:"EventCount"`
	CreationTime   epoch  `json:"CreationTime"`
}

func archiveShape(a bus.ArchiveInfo, full bool) archiveOut {
	out := archiveOut{
		ArchiveName: a.Name, EventSourceArn: a.EventSourceArn, State: a.State, RetentionDays: a.RetentionDays,
		SizeBytes: a.SizeBytes, EventCount: a.EventCount, CreationTime: epoch(a.Created),
	}
	if full {
		out.ArchiveArn, out.Description, out.EventPattern = a.Arn, a.Description, a.EventPattern
	}
	return out
}

func (h *Handler) describeArchive(ctx context.Context, r *awsapi.Request, in *archiveInput) (any, error) {
	a, err := h.svc.DescribeArchive(ctx, caller(r), in.ArchiveName)
	if err != nil {
		return nil, err
	}
	return archiveShape(a, true), nil
}

func (h *Handler) deleteArchive(ctx context.Context, r *awsapi.Request, in *archiveInput) (any, error) {
	return struct{}{}, h.svc.DeleteArchive(ctx, caller(r), in.ArchiveName)
}

type listArchivesInput struct {
	NamePrefix     string `json:"NamePrefix"`
	EventSourceArn string `json:"EventSourceArn"`
	State          string `json:"State"`
	NextToken      string `json:"NextToken"`
	Limit          int    `json:"Limit"`
}

func (h *Handler) listArchives(ctx context.Context, r *awsapi.Request, in *listArchivesInput) (any, error) {
	all, next, err := h.svc.ListArchives(ctx, bus.ListArchivesInput{
		Caller: caller(r), NamePrefix: in.NamePrefix, EventSourceArn: in.EventSourceArn,
		State: in.State, Limit: in.Limit, NextToken: in.NextToken,
	})
	if err != nil {
		return nil, err
	}
	out := struct {
		Archives  []archiveOut `json:"Archives"`
		NextToken string       `json:"NextToken,omitempty"`
	}{Archives: make([]archiveOut, 0, len(all)), NextToken: next}
	for _, a := range all {
		out.Archives = append(out.Archives, archiveShape(a, false))
	}
	return out, nil
}

type replayDestination struct {
	Arn        string   `json:"Arn"`
	FilterArns []string `json:"FilterArns,omitempty"`
}

type startReplayInput struct {
	ReplayName     string            `json:"ReplayName"`
	Description    *string           `json:"Description"`
	EventSourceArn string            `json:"EventSourceArn"`
	EventStartTime epoch             `json:"EventStartTime"`
	EventEndTime   epoch             `json:"EventEndTime"`
	Destination    replayDestination `json:"Destination"`
}

func (h *Handler) startReplay(ctx context.Context, r *awsapi.Request, in *startReplayInput) (any, error) {
	rp, err := h.svc.StartReplay(ctx, bus.StartReplayInput{
		Caller: caller(r), Name: in.ReplayName, Description: in.Description,
		EventSourceArn: in.EventSourceArn, EventStartTime: time.Time(in.EventStartTime), EventEndTime: time.Time(in.EventEndTime),
		DestinationArn: in.Destination.Arn, FilterArns: in.Destination.FilterArns,
	})
	if err != nil {
		return nil, err
	}
	return struct {
		ReplayArn       string `json:"ReplayArn"`
		State           string `json:"State"`
		ReplayStartTime epoch  `json:"ReplayStartTime"`
	}{rp.Arn, rp.State, epoch(rp.Began)}, nil
}

type replayOut struct {
	ReplayName            string             `json:"ReplayName"`
	ReplayArn             string             `json:"ReplayArn,omitempty"`
	Description           string             `json:"Description,omitempty"`
	State                 string             `json:"State"`
	StateReason           string             `json:"StateReason,omitempty"`
	EventSourceArn        string             `json:"EventSourceArn"`
	Destination           *replayDestination `json:"Destination,omitempty"`
	EventStartTime        epoch              `json:"EventStartTime"`
	EventEndTime          epoch              `json:"EventEndTime"`
	EventLastReplayedTime *epoch             `json:"EventLastReplayedTime,omitempty"`
	ReplayStartTime       epoch              `json:"ReplayStartTime"`
	ReplayEndTime         *epoch             `json:"ReplayEndTime,omitempty"`
}

func optEpoch(t time.Time) *epoch {
	if t.IsZero() {
		return nil
	}
	e := epoch(t)
	return &e
}

func replayShape(rp bus.ReplayInfo, full bool) replayOut {
	out := replayOut{
		ReplayName: rp.Name, State: rp.State, StateReason: rp.StateReason, EventSourceArn: rp.EventSourceArn,
		EventStartTime: epoch(rp.EventStart), EventEndTime: epoch(rp.EventEnd), EventLastReplayedTime: optEpoch(rp.LastReplayed),
		ReplayStartTime: epoch(rp.Began), ReplayEndTime: optEpoch(rp.Ended),
	}
	if full {
		out.ReplayArn, out.Description = rp.Arn, rp.Description
		out.Destination = &replayDestination{Arn: rp.DestinationArn, FilterArns: rp.FilterArns}
	}
	return out
}

type replayNameInput struct {
	ReplayName string `json:"ReplayName"`
}

func (h *Handler) describeReplay(ctx context.Context, r *awsapi.Request, in *replayNameInput) (any, error) {
	rp, err := h.svc.DescribeReplay(ctx, caller(r), in.ReplayName)
	if err != nil {
		return nil, err
	}
	return replayShape(rp, true), nil
}

func (h *Handler) cancelReplay(ctx context.Context, r *awsapi.Request, in *replayNameInput) (any, error) {
	rp, err := h.svc.CancelReplay(ctx, caller(r), in.ReplayName)
	if err != nil {
		return nil, err
	}
	return struct {
		ReplayArn string `json:"ReplayArn"`
		State     string `json:"State"`
	}{rp.Arn, rp.State}, nil
}

type listReplaysInput struct {
	NamePrefix     string `json:"NamePrefix"`
	State          string `json:"State"`
	EventSourceArn string `json:"EventSourceArn"`
	NextToken      string `json:"NextToken"`
	Limit          int    `json:"Limit"`
}

func (h *Handler) listReplays(ctx context.Context, r *awsapi.Request, in *listReplaysInput) (any, error) {
	all, next, err := h.svc.ListReplays(ctx, bus.ListReplaysInput{
		Caller: caller(r), NamePrefix: in.NamePrefix, State: in.State,
		EventSourceArn: in.EventSourceArn, Limit: in.Limit, NextToken: in.NextToken,
	})
	if err != nil {
		return nil, err
	}
	out := struct {
		Replays   []replayOut `json:"Replays"`
		NextToken string      `json:"NextToken,omitempty"`
	}{Replays: make([]replayOut, 0, len(all)), NextToken: next}
	for _, rp := range all {
		out.Replays = append(out.Replays, replayShape(rp, false))
	}
	return out, nil
}
