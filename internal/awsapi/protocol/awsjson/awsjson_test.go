package awsjson

import (
	"testing"

	"github.com/stretchr/testify/require"
)

type in struct {
	QueueURL string            `json:"QueueUrl"`
	Max      *int64            `json:"MaxNumberOfMessages"`
	Attrs    map[string]string `json:"Attributes"`
}

func TestDecode(t *testing.T) {
	t.Parallel()
	var v in
	require.NoError(t, Decode([]byte(` {"QueueUrl":"u","MaxNumberOfMessages":3,"Attributes":{"a":"b"},"Unknown":1} `), &v))
	require.Equal(t, "u", v.QueueURL)
	require.Equal(t, int64(3), *v.Max)
	require.NoError(t, Decode(nil, &v))
	require.Error(t, Decode([]byte(`{"MaxNumberOfMessages":"x"}`), &v))
	require.Error(t, Decode([]byte(`{} {}`), &v))
	op, ok := Operation("AmazonSQS.SendMessage", "AmazonSQS")
	require.True(t, ok)
	require.Equal(t, "SendMessage", op)
	_, ok = Operation("AmazonSQS.", "AmazonSQS")
	require.False(t, ok)
	require.JSONEq(t, `{"__type":"t","message":"m"}`, string(ErrorBody("t", "m")))
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"QueueUrl":"u","MaxNumberOfMessages":3}`))
	f.Add([]byte(`{"Attributes":{"a":1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var v in
		_ = Decode(b, &v)
	})
}
