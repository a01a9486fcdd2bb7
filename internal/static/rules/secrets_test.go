package rules

import "testing"

func TestWeakSecret(t *testing.T) {
	weak := []string{"secret", "changeme", "dev", "super-secret-key-123", "your-256-bit-secret", "short"}
	strong := []string{"Zq8vN2xT7rLm4KpW9sYc3HdF6gJb1QeA", "k3Xv9QmT2rLp8WsZ4nYb7HcJ1gFd6AeU"}
	for _, s := range weak {
		if !WeakSecret(s) {
			t.Errorf("%q not weak", s)
		}
	}
	for _, s := range strong {
		if WeakSecret(s) {
			t.Errorf("%q weak", s)
		}
	}
}

func TestKeyShaped(t *testing.T) {
	if !keyShapedParts("pk_live_4f9a1c7e2b8d4a61,pk_live_9e3b7d2a5c1f4e08,") || keyShapedParts("alpha,beta") {
		t.Fatal("keyShapedParts")
	}
	if apiKeyName("API_KEY_HEADER") != 0 || apiKeyName("PARTNER_API_KEYS") != 2 || apiKeyName("CACHE_KEY") != 1 {
		t.Fatal("apiKeyName")
	}
}
