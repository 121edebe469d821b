package events

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/fogbank/fogbank/internal/bus"
)

// epoch is an AWS JSON timestamp: seconds since the epoch, fractional.
type epoch time.Time

func (e epoch) MarshalJSON() ([]byte, error) {
	t := time.Time(e)
	return []byte(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64)), nil
}

func (e *epoch) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err == nil {
		sec, frac := math.Modf(f)
		*e = epoch(time.Unix(int64(sec), int64(frac*1e9)).UTC())
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("timestamp must be a number or an RFC 3339 string")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	*e = epoch(t)
	return nil
}

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

func tagMap(tags []tag) map[string]string {
	if tags == nil {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

func tagList(m map[string]string) []tag {
	out := make([]tag, 0, len(m))
	for k, v := range m {
		out = append(out, tag{k, v})
	}
	return out
}

type deadLetterConfig struct {
	Arn *string `json:"Arn,omitempty"`
}

func dlqArn(d *deadLetterConfig) *string {
	if d == nil {
		return nil
	}
	return d.Arn
}

func dlqOut(arn string) *deadLetterConfig {
	if arn == "" {
		return nil
	}
	return &deadLetterConfig{Arn: &arn}
}

type eventBus struct {
	Name             string            `json:"Name"`
	Arn              string            `json:"Arn"`
	Description      string            `json:"Description,omitempty"`
	DeadLetterConfig *deadLetterConfig `json:"DeadLetterConfig,omitempty"`
	Policy           string            `json:"Policy,omitempty"`
	CreationTime     epoch             `json:"CreationTime"`
	LastModifiedTime epoch             `json:"LastModifiedTime"`
}

func busOut(b bus.BusInfo) eventBus {
	return eventBus{
		Name: b.Name, Arn: b.Arn, Description: b.Description, DeadLetterConfig: dlqOut(b.DeadLetterArn), Policy: b.Policy,
		CreationTime: epoch(b.Created), LastModifiedTime: epoch(b.Modified),
	}
}

type ruleOut struct {
	Name               string `json:"Name"`
	Arn                string `json:"Arn"`
	EventPattern       string `json:"EventPattern,omitempty"`
	ScheduleExpression string `json:"ScheduleExpression,omitempty"`
	State              string `json:"State"`
	Description        string `json:"Description,omitempty"`
	RoleArn            string `json:"RoleArn,omitempty"`
	EventBusName       string `json:"EventBusName"`
}

func ruleShape(r bus.RuleInfo) ruleOut {
	return ruleOut{
		Name: r.Name, Arn: r.Arn, EventPattern: r.EventPattern, ScheduleExpression: r.ScheduleExpression,
		State: r.State, Description: r.Description, RoleArn: r.RoleArn, EventBusName: r.EventBusName,
	}
}
