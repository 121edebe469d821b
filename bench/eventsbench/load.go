package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/bench/internal/fogbankproc"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// row is the result of one phase.
type row struct {
	rules    int
	rate     int // offered events/s; 0: as fast as possible
	sent     int64
	received int64
	elapsed  time.Duration // first measured send to last receive
	put      []time.Duration
	e2e      []time.Duration
	errors   int64
}

func (r row) delivered() float64 { return float64(r.received) / r.elapsed.Seconds() }

type clients struct {
	eb  *eventbridge.Client
	sqs *sqs.Client
}

func newClients(addr string) clients {
	cfg := aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("bench", "bench", ""),
		BaseEndpoint:     aws.String("http://" + addr),
		RetryMaxAttempts: 1,
		HTTPClient:       awshttp.NewBuildableClient(), // see bench/sqsbench newClient
	}
	return clients{eventbridge.NewFromConfig(cfg), sqs.NewFromConfig(cfg)}
}

// phase runs one phase on a fresh server: rules rules (one matching, to a
// queue), then load at rate events/s (0: unpaced) for the warm-up and the
// measured time, and waits for every acknowledged event to arrive.
func phase(ctx context.Context, bin, tmp string, o options, rules, rate int) (row, error) {
	addr, err := fogbankproc.FreeAddr()
	if err != nil {
		return row{}, err
	}
	dir, err := os.MkdirTemp(tmp, "data-")
	if err != nil {
		return row{}, err
	}
	storeArgs := []string{"--data-dir", dir}
	if o.store != "" {
		storeArgs = []string{"--store", o.store}
	}
	srv, err := fogbankproc.Launch(bin, addr, storeArgs...)
	if err != nil {
		return row{}, err
	}
	defer srv.Stop() //nolint:errcheck // the phase's result is what matters
	if err := srv.WaitHealthy(ctx); err != nil {
		return row{}, err
	}
	c := newClients(addr)
	url, err := setupBus(ctx, c, rules)
	if err != nil {
		return row{}, err
	}
	l := &load{c: c, url: url, rate: rate, senders: o.senders}
	if o.warmup > 0 {
		l.run(ctx, o.warmup, false)
	}
	l.c = newClients(addr)
	r := l.run(ctx, o.duration, true)
	r.rules, r.rate = rules, rate
	return r, nil
}

func setupBus(ctx context.Context, c clients, rules int) (string, error) {
	q, err := c.sqs.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("bench-target")})
	if err != nil {
		return "", err
	}
	qa, err := c.sqs.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []types.QueueAttributeName{"QueueArn"}})
	if err != nil {
		return "", err
	}
	for i := range rules - 1 {
		p := fmt.Sprintf(`{"source":["bench"],"detail-type":["noise-%d"],"detail":{"n":[{"numeric":[">",%d]}]}}`, i, i)
		if _, err := c.eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("noise-" + strconv.Itoa(i)), EventPattern: &p}); err != nil {
			return "", err
		}
	}
	if _, err := c.eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("hit"), EventPattern: aws.String(`{"source":["bench"],"detail-type":["hit"]}`)}); err != nil {
		return "", err
	}
	_, err = c.eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String("hit"), Targets: []ebtypes.Target{{Id: aws.String("q"), Arn: aws.String(qa.Attributes["QueueArn"])}}})
	return aws.ToString(q.QueueUrl), err
}

// load is one phase's producers and consumers.
type load struct {
	c       clients
	url     string
	rate    int
	senders int

	mu  sync.Mutex
	put []time.Duration
	e2e []time.Duration
}

func (l *load) run(ctx context.Context, d time.Duration, measure bool) row {
	var sent, received, errs atomic.Int64
	var last atomic.Int64 // Unix ns of the last receive
	start := time.Now()
	l.put, l.e2e = nil, nil
	sendCtx, stopSending := context.WithTimeout(ctx, d)
	defer stopSending()
	recvCtx, stopReceiving := context.WithCancel(ctx)
	var senders, receivers sync.WaitGroup
	for range 4 {
		receivers.Go(func() { l.receive(recvCtx, &received, &last, &errs) })
	}
	batch := 1
	if l.rate == 0 {
		batch = 10
	}
	work := make(chan struct{}, 1024)
	for range max(l.senders, 32) {
		senders.Go(func() { l.send(sendCtx, work, batch, &sent, &errs) })
	}
	if l.rate > 0 {
		pace(sendCtx, work, l.rate)
	} else {
		for sendCtx.Err() == nil {
			select {
			case work <- struct{}{}:
			case <-sendCtx.Done():
			}
		}
	}
	close(work)
	senders.Wait()
	// Wait (bounded) for every acknowledged event to arrive.
	deadline := time.Now().Add(30 * time.Second)
	for received.Load() < sent.Load() && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	stopReceiving()
	receivers.Wait()
	r := row{sent: sent.Load(), received: received.Load(), errors: errs.Load(), elapsed: time.Unix(0, last.Load()).Sub(start)}
	if measure {
		r.put, r.e2e = l.put, l.e2e
	}
	return r
}

// pace offers one unit of work every 1/rate seconds, catching up in bursts
// when the ticker falls behind.
func pace(ctx context.Context, work chan<- struct{}, rate int) {
	start := time.Now()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	done := 0
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			due := int(now.Sub(start).Seconds() * float64(rate))
			for ; done < due; done++ {
				select {
				case work <- struct{}{}:
				default: // senders saturated: the offered rate is not met
				}
			}
		}
	}
}

func (l *load) send(ctx context.Context, work <-chan struct{}, batch int, sent, errs *atomic.Int64) {
	for range work {
		t := time.Now()
		detail := `{"t":` + strconv.FormatInt(t.UnixNano(), 10) + `}`
		entries := make([]ebtypes.PutEventsRequestEntry, batch)
		for i := range entries {
			entries[i] = ebtypes.PutEventsRequestEntry{Source: aws.String("bench"), DetailType: aws.String("hit"), Detail: &detail}
		}
		out, err := l.c.eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: entries})
		if err != nil || out.FailedEntryCount > 0 {
			if ctx.Err() == nil {
				errs.Add(1)
			}
			continue
		}
		d := time.Since(t)
		sent.Add(int64(batch))
		l.mu.Lock()
		l.put = append(l.put, d)
		l.mu.Unlock()
	}
}

func (l *load) receive(ctx context.Context, received, last, errs *atomic.Int64) {
	for ctx.Err() == nil {
		out, err := l.c.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &l.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		now := time.Now()
		if err != nil {
			if ctx.Err() == nil {
				errs.Add(1)
			}
			continue
		}
		if len(out.Messages) == 0 {
			continue
		}
		last.Store(now.UnixNano())
		del := make([]types.DeleteMessageBatchRequestEntry, len(out.Messages))
		l.mu.Lock()
		for i, m := range out.Messages {
			var ev struct {
				Detail struct {
					T int64 `json:"t"`
				} `json:"detail"`
			}
			if json.Unmarshal([]byte(aws.ToString(m.Body)), &ev) == nil {
				l.e2e = append(l.e2e, now.Sub(time.Unix(0, ev.Detail.T)))
			}
			del[i] = types.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle}
		}
		l.mu.Unlock()
		received.Add(int64(len(out.Messages)))
		if _, err := l.c.sqs.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: &l.url, Entries: del}); err != nil && ctx.Err() == nil {
			errs.Add(1)
		}
	}
}
