package sqs

import (
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/queue"
)

// caller turns a request's identity into the domain's caller.
func caller(r *awsapi.Request) queue.Caller {
	return queue.Caller{Account: r.Identity.Account, Region: r.Identity.Region, AccessKeyID: r.Identity.AccessKeyID}
}

// queueURL renders a queue's URL on the host the client used, e.g.
// http://127.0.0.1:4566/000000000000/orders or
// http://sqs.us-east-1.localhost:4566/000000000000/orders.
func queueURL(r *awsapi.Request, ref queue.QueueRef) string {
	scheme := "http"
	if r.HTTP != nil && r.HTTP.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/" + ref.Account + "/" + ref.Name
}

// parseQueueURL reads the account and name from a queue URL; the host is not
// checked, so every form a client may have stored keeps working.
func parseQueueURL(r *awsapi.Request, raw string) (queue.QueueRef, error) {
	if raw == "" && r.HTTP != nil {
		raw = r.HTTP.URL.Path // query clients may post to the queue URL itself
	}
	if raw == "" {
		return queue.QueueRef{}, missingParameter("QueueUrl")
	}
	path := raw
	if u, err := url.Parse(raw); err == nil && u.Path != "" {
		path = u.Path
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) == 1 && parts[0] != "" && !strings.Contains(raw, "://") {
		parts = []string{r.Identity.Account, parts[0]} // AWS also takes a bare queue name
	}
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return queue.QueueRef{}, &queue.Error{Code: queue.CodeQueueDoesNotExist, Message: "The specified queue does not exist."}
	}
	return queue.QueueRef{Account: parts[0], Name: parts[1]}, nil
}

// nextToken encodes a page position as AWS does: base64 of the last URL.
func nextToken(lastURL string) string { return base64.StdEncoding.EncodeToString([]byte(lastURL)) }

// afterToken returns the queue name a NextToken points after.
func afterToken(token string) (string, error) {
	if token == "" {
		return "", nil
	}
	b, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return "", invalidParameter("Invalid NextToken value.")
	}
	s := string(b)
	return s[strings.LastIndex(s, "/")+1:], nil
}
