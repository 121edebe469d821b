package topic

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SNS SignatureVersion 1 is SHA1withRSA
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// CertPath is where fogbank serves the signing certificate.
const CertPath = "/_fogbank/sns/SimpleNotificationService-fogbank.pem"

// signer holds the RSA key notifications are signed with. The key is made
// on first use and stored as a record, so it survives restarts.
type signer struct {
	store store.Store
	now   time.Time

	mu      sync.Mutex
	key     *rsa.PrivateKey
	certPEM []byte
}

type keyRecord struct {
	Key  []byte `json:"key"`  // PKCS#1 DER
	Cert []byte `json:"cert"` // PEM
}

func loadSigner(ctx context.Context, st store.Store, now time.Time) (*signer, error) {
	sg := &signer{store: st, now: now}
	recs, err := st.LoadRecords(ctx, kindKey)
	if err != nil {
		return nil, fmt.Errorf("topic: load key: %w", err)
	}
	for _, r := range recs {
		var kr keyRecord
		if err := json.Unmarshal(r.Data, &kr); err != nil {
			return nil, fmt.Errorf("topic: key: %w", err)
		}
		key, err := x509.ParsePKCS1PrivateKey(kr.Key)
		if err != nil {
			return nil, fmt.Errorf("topic: key: %w", err)
		}
		sg.key, sg.certPEM = key, kr.Cert
	}
	return sg, nil
}

// ensure makes and stores the key if there is none yet.
func (sg *signer) ensure(ctx context.Context) error {
	sg.mu.Lock()
	defer sg.mu.Unlock()
	if sg.key != nil {
		return nil
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("topic: generate key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(sg.now.UnixNano()),
		Subject:      pkix.Name{CommonName: "sns.amazonaws.com", Organization: []string{"fogbank"}},
		NotBefore:    sg.now.Add(-time.Hour),
		NotAfter:     sg.now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return fmt.Errorf("topic: certificate: %w", err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	b, _ := json.Marshal(keyRecord{Key: x509.MarshalPKCS1PrivateKey(key), Cert: certPEM})
	if err := sg.store.Apply(ctx, store.PutRecord{Record: store.Record{Kind: kindKey, Key: "signing", Data: b}}); err != nil {
		return fmt.Errorf("topic: store key: %w", err)
	}
	sg.key, sg.certPEM = key, certPEM
	return nil
}

// sign signs the canonical string with SHA1 (version "1") or SHA256 ("2").
func (sg *signer) sign(version, canonical string) string {
	sg.mu.Lock()
	key := sg.key
	sg.mu.Unlock()
	var sig []byte
	if version == "2" {
		h := sha256.Sum256([]byte(canonical))
		sig, _ = rsa.SignPKCS1v15(nil, key, crypto.SHA256, h[:])
	} else {
		h := sha1.Sum([]byte(canonical)) //nolint:gosec // SignatureVersion 1
		sig, _ = rsa.SignPKCS1v15(nil, key, crypto.SHA1, h[:])
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// CertificatePEM returns the signing certificate, making the key if needed.
func (s *Service) CertificatePEM(ctx context.Context) ([]byte, error) {
	if err := s.signer.ensure(ctx); err != nil {
		return nil, err
	}
	s.signer.mu.Lock()
	defer s.signer.mu.Unlock()
	return s.signer.certPEM, nil
}
