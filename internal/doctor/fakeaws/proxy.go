package fakeaws

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/http"
)

// serveProxy is an HTTPS CONNECT proxy that never dials out: it answers
// 200, then hands the client's connection to the fake's TLS server, which
// presents a certificate for the requested host signed by the test CA —
// what a TLS-inspecting corporate proxy does. Anything but CONNECT is
// refused.
func (s *Server) serveProxy(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "fakeaws proxy: only CONNECT is supported", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	s.connects = append(s.connects, r.Host)
	s.mu.Unlock()
	if _, ok := parseHost(r.Host); !ok {
		http.Error(w, "fakeaws proxy: refusing to tunnel to "+r.Host, http.StatusForbidden)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "fakeaws proxy: cannot hijack", http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		conn.Close()
		return
	}
	s.tunnels.push(&tunnelConn{Conn: conn, r: buf.Reader})
}

// tunnelConn is a tunnelled client connection; reads go through the
// proxy's buffer first, in case the client sent its ClientHello early.
type tunnelConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *tunnelConn) Read(p []byte) (int, error) {
	if c.r != nil && c.r.Buffered() > 0 {
		return c.r.Read(p)
	}
	return c.Conn.Read(p)
}

func isTunnel(c net.Conn) bool {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	_, ok := c.(*tunnelConn)
	return ok
}

func (s *Server) tlsConfig() *tls.Config {
	return &tls.Config{GetCertificate: s.ca.certificate, MinVersion: tls.VersionTLS12}
}

func (s *Server) tlsClientConfig() *tls.Config {
	return &tls.Config{RootCAs: s.ca.pool, MinVersion: tls.VersionTLS12}
}
