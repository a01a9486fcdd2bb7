package flask

import "testing"

func TestNginxInternal(t *testing.T) {
	src := `http {
  server {
    location / { proxy_pass http://app; }
    location /internal {   # admin API
      internal;
      proxy_pass http://admin:8080;
    }
    location ^~ /ops/ {
      deny all;
    }
    location /metrics {
      allow 10.0.0.0/8;
      deny all;
    }
    location ~ ^/private/ { internal; }
    location = /status { internal; }
  }
}
`
	got := NginxInternal("nginx.conf", []byte(src))
	want := map[string]int{"/internal": 5, "/ops/": 9, "/status": 16}
	if len(got) != len(want) {
		t.Fatalf("got %d internal paths %+v, want %d", len(got), got, len(want))
	}
	for _, ip := range got {
		if line, ok := want[ip.Prefix]; !ok || line != ip.Line {
			t.Errorf("unexpected %+v (want line %d)", ip, line)
		}
	}
	p := &Project{Internal: got}
	for rule, in := range map[string]bool{"/internal/auth/email": true, "/internal": true, "/internals": false, "/ops/x": true, "/metrics": false, "/": false} {
		if _, ok := p.InternalAt(rule); ok != in {
			t.Errorf("InternalAt(%q) = %v, want %v", rule, ok, in)
		}
	}
}
